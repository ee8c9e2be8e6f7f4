package store

// entityKind is a family of named IAM entities, kept alike: each record
// under its folded name in one bucket of its account, its unique id in the
// account's id index, and a count of them in the account. Users and groups
// are kinds; roles are one more.
type entityKind struct {
	bucket []byte // fold(name) → record
	ref    string // what the id index holds before the folded name
	count  []byte // the account's count of them
}

var (
	userKind  = entityKind{bucketUsers, "user/", keyUserCount}
	groupKind = entityKind{bucketGroups, "group/", keyGroupCount}
)

// load decodes the entity named name (any case) into v, or ErrNotFound.
func (k entityKind) load(tx *Tx, account, name string, v any) error {
	b, err := tx.account(account, k.bucket, false)
	if err != nil {
		return err
	}
	return get(b, fold(name), v)
}

// loadByID decodes the entity whose unique id is id into v, or ErrNotFound
// (also for the id of another kind).
func (k entityKind) loadByID(tx *Tx, account, id string, v any) error {
	ids, err := tx.account(account, bucketIDs, false)
	if err != nil {
		return err
	}
	if ids == nil {
		return ErrNotFound
	}
	ref := ids.Get([]byte(id))
	if len(ref) <= len(k.ref) || string(ref[:len(k.ref)]) != k.ref {
		return ErrNotFound
	}
	b, err := tx.account(account, k.bucket, false)
	if err != nil {
		return err
	}
	return get(b, ref[len(k.ref):], v)
}

// create stores a new entity v and its id index, or answers ErrExists when
// the name is taken in any case.
func (k entityKind) create(tx *Tx, account, name, id string, v any) error {
	b, err := tx.account(account, k.bucket, true)
	if err != nil {
		return err
	}
	if b.Get(fold(name)) != nil {
		return ErrExists
	}
	if err := tx.count(account, k.count, 1); err != nil {
		return err
	}
	return k.put(tx, account, name, id, v)
}

// put writes v under its folded name, with its id index entry.
func (k entityKind) put(tx *Tx, account, name, id string, v any) error {
	ids, err := tx.account(account, bucketIDs, true)
	if err != nil {
		return err
	}
	if err := tx.putRaw(ids, []byte(id), append([]byte(k.ref), fold(name)...)); err != nil {
		return err
	}
	b, err := tx.account(account, k.bucket, true)
	if err != nil {
		return err
	}
	return tx.put(b, fold(name), v)
}

// update stores v, loaded under oldName and now named name: a changed name
// moves the record (ErrExists when another entity has the new name).
// Everything keyed by the unique id follows without change.
func (k entityKind) update(tx *Tx, account, oldName, name, id string, v any) error {
	b, err := tx.account(account, k.bucket, true)
	if err != nil {
		return err
	}
	oldKey, newKey := fold(oldName), fold(name)
	if string(oldKey) != string(newKey) {
		if b.Get(newKey) != nil {
			return ErrExists
		}
		if err := tx.del(b, oldKey); err != nil {
			return err
		}
	}
	return k.put(tx, account, name, id, v)
}

// delete removes the entity and its id index entry, or answers
// ErrNotFound. Dependents are the caller's to check first.
func (k entityKind) delete(tx *Tx, account, name, id string) error {
	b, err := tx.account(account, k.bucket, false)
	if err != nil || b == nil || b.Get(fold(name)) == nil {
		return ErrNotFound
	}
	if err := tx.del(b, fold(name)); err != nil {
		return err
	}
	if err := tx.count(account, k.count, -1); err != nil {
		return err
	}
	ids, err := tx.account(account, bucketIDs, true)
	if err != nil {
		return err
	}
	return tx.del(ids, []byte(id))
}
