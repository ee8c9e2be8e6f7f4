package emulator

import "testing"

func TestAWSLayout(t *testing.T) {
	got := awsLayout(`{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}`)
	want := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Action\": \"*\",\n      \"Effect\": \"Allow\",\n      \"Resource\": \"*\"\n    }\n  ]\n}"
	if got != want {
		t.Fatalf("awsLayout=\n%s\nwant\n%s", got, want)
	}
	raw := scanStatements(got, true)
	if len(raw) != 1 || raw[0].start.Line != 3 || raw[0].start.Column != 17 {
		t.Fatalf("AdministratorAccess's first statement at %+v, want Line 3 Column 17 as on AWS", raw)
	}
}
