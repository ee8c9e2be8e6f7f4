package emulator

import "github.com/iamlocal/iamlocal/wire"

// Every AWS error text iamlocal answers with lives in this file; see
// ../shared/aws-facts.md for where each one comes from.

func noSuchUser(name string) error {
	return wire.Errorf("NoSuchEntity", "The user with name %s cannot be found.", name)
}

func userExists(name string) error {
	return wire.Errorf("EntityAlreadyExists", "User with name %s already exists.", name)
}

func noSuchAccessKey(id string) error {
	return wire.Errorf("NoSuchEntity", "The Access Key with id %s cannot be found.", id)
}

func quotaExceeded(quota string, limit int) error {
	return wire.Errorf("LimitExceeded", "Cannot exceed quota for %s: %d", quota, limit)
}

func deleteConflict(what string) error {
	return wire.Errorf("DeleteConflict", "Cannot delete entity, must %s first.", what)
}

func userNameRequired() error {
	return wire.Errorf("ValidationError", "Must specify userName when calling with non-User credentials")
}

func duplicateTagKeys() error {
	return wire.Errorf("InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
}

func invalidMarker() error {
	return wire.Errorf("ValidationError", "Invalid Marker.")
}

func notAuthorized(callerARN, action, resource string) error {
	return wire.Errorf("AccessDenied", "User: %s is not authorized to perform %s on resource: %s", callerARN, action, resource)
}

func boundaryNotAttachable(arn string) error {
	return wire.Errorf("NoSuchEntity", "Scope ARN: %s does not exist or is not attachable.", arn)
}

func invalidAccessKeyID() error {
	return wire.Errorf("InvalidParameterValue", "Invalid access key id")
}
