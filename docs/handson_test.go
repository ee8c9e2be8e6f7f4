package docs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The guide's commands name the server's default address; the test's
// server listens elsewhere, so that a server of the reader's own may run.
const guideAddr = "127.0.0.1:4599"

// commandTimeout bounds one command of the guide (aws-cli takes about a
// second to start on a busy machine).
const commandTimeout = 2 * time.Minute

// record rewrites handson.md with what this run printed, for a writer
// changing the guide: go test ./docs -run 'TestHandsOn$' -args -record.
// It copies the command blocks to ja/handson.md too. Read the diff before
// committing it: a placeholder must have the shape of the value it stands
// for (masks_test.go) to be replaced in the commands that use it.
var record = flag.Bool("record", false, "rewrite handson.md with this run's output")

// TestHandsOn runs every command of the hands-on guide, in order, in one
// shell, against a fresh server, with aws-cli and the iamlocal binary on
// PATH and profiles in files of the test's own, and compares what each
// prints with what the guide shows (masks_test.go says what may differ).
func TestHandsOn(t *testing.T) {
	if testing.Short() {
		t.Skip("runs aws-cli against a built iamlocal")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		t.Fatalf("aws-cli is not installed, so the hands-on guide cannot be checked: %v", err)
	}
	steps := guideSteps(t, "handson.md")
	sh := startSession(t)
	var got []string
	for _, st := range steps {
		got = append(got, sh.check(t, "handson.md", st))
	}
	if *record {
		rewriteGuide(t, "handson.md", steps, got, sh.placeholders)
		copyBlocks(t, "handson.md", filepath.Join("ja", "handson.md"))
	}
}

// TestHandsOnJapaneseSameCommands holds the Japanese guide to the English
// one's commands and outputs, which TestHandsOn runs: only the prose is
// translated.
func TestHandsOnJapaneseSameCommands(t *testing.T) {
	en, ja := guideSteps(t, "handson.md"), guideSteps(t, filepath.Join("ja", "handson.md"))
	for i := range max(len(en), len(ja)) {
		if i >= len(en) || i >= len(ja) {
			t.Fatalf("handson.md has %d commands, ja/handson.md %d", len(en), len(ja))
		}
		if en[i].command != ja[i].command || normalize(en[i].output) != normalize(ja[i].output) {
			t.Fatalf("command %d differs: handson.md:%d\n$ %s\n%s\nja/handson.md:%d\n$ %s\n%s",
				i+1, en[i].line, en[i].command, en[i].output, ja[i].line, ja[i].command, ja[i].output)
		}
	}
}

// TestCompareCatchesRot checks that the comparison fails on a changed line
// and on a changed id shape, and passes on another run's values.
func TestCompareCatchesRot(t *testing.T) {
	guide := "{\n    \"AccessKeyId\": \"AKIARZPUZDIKNWJJV4KO\",\n    \"Status\": \"Active\",\n    \"CreateDate\": \"2026-12-02T02:26:27Z\"\n}"
	run := "{\n    \"AccessKeyId\": \"AKIAQWERTYUIOPASDFGH\",\n    \"Status\": \"Active\",\n    \"CreateDate\": \"2027-01-05T11:00:00Z\"\n}"
	pairs, err := compare(guide, run)
	if err != nil {
		t.Fatalf("compare: %v", err)
	}
	if got, want := fmt.Sprint(pairs), "[[AKIARZPUZDIKNWJJV4KO AKIAQWERTYUIOPASDFGH]]"; got != want {
		t.Fatalf("bound=%s, want %s", got, want)
	}
	if _, err := compare(strings.Replace(guide, "Active", "Inactive", 1), run); err == nil {
		t.Fatal("a changed status line passed, want a difference")
	}
	if _, err := compare(guide, strings.Replace(run, "AKIAQWERTYUIOPASDFGH", "AKIAQWERTY", 1)); err == nil {
		t.Fatal("a short key id passed, want a difference")
	}
	if got, want := substitute("--serial-number x --authentication-code1 307254 --account 123072549", map[string]string{"307254": "111111"}), "--serial-number x --authentication-code1 111111 --account 123072549"; got != want {
		t.Fatalf("substitute=%q, want %q", got, want)
	}
}

// A step is one command of the guide and the output the guide shows for it.
type step struct {
	line    int // of the command in the guide, from 1
	indent  string
	command string
	output  string
}

// guideSteps reads the guide's ```console blocks: a line starting with "$ "
// is a command (continued by a trailing backslash or a here-document), the
// lines up to the next command are what it prints.
func guideSteps(t testing.TB, path string) []step {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := parseSteps(string(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(steps) == 0 {
		t.Fatalf("%s has no ```console block", path)
	}
	return steps
}

var heredoc = regexp.MustCompile(`<<-?'?([A-Za-z_]+)'?`)

func parseSteps(text string) ([]step, error) {
	var (
		steps   []step
		inBlock bool
		more    string // what ends the command being read: "\\" or a here-document's word
		indent  string // of the block's fence, which its lines share (in a list item)
	)
	for i, l := range strings.Split(text, "\n") {
		if inBlock {
			l = strings.TrimPrefix(l, indent)
		}
		switch {
		case !inBlock:
			inBlock = strings.TrimSpace(l) == "```console"
			indent = l[:len(l)-len(strings.TrimLeft(l, " "))]
		case more != "":
			cur := &steps[len(steps)-1]
			cur.command += "\n" + l
			if more == `\` && !strings.HasSuffix(l, `\`) || more != `\` && l == more {
				more = ""
			}
		case strings.HasPrefix(strings.TrimSpace(l), "```"):
			inBlock = false
		case strings.HasPrefix(l, "$ "):
			steps = append(steps, step{line: i + 1, indent: indent, command: l[2:]})
			if strings.HasSuffix(l, `\`) {
				more = `\`
			} else if m := heredoc.FindStringSubmatch(l); m != nil {
				more = m[1]
			}
		case len(steps) == 0:
			return nil, fmt.Errorf("line %d: output before the first command", i+1)
		default:
			steps[len(steps)-1].output += l + "\n"
		}
	}
	if inBlock {
		return nil, fmt.Errorf("a ```console block is not closed")
	}
	return steps, nil
}

// A session is one shell in which the guide's commands run one after
// another, as a reader's terminal.
type session struct {
	addr   string // the server's host:port
	dir    string
	stdin  io.Writer
	output chan []byte
	bound  map[string]string // the guide's values → this run's
	// placeholders are the guide's values in outputs that -record
	// rewrites: this run's replace them in the whole guide.
	placeholders map[string]string
}

// endMark ends each command's output; the shell prints it.
const endMark = "\x1e-- end of command --"

func startSession(t *testing.T) *session {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, "iamlocal"), "github.com/iamlocal/iamlocal/cmd/iamlocal").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// pyenv's shim for aws doubles the cost of each call; the program it
	// runs does not need it.
	if real, err := exec.Command("pyenv", "which", "aws").Output(); err == nil {
		if err := os.Symlink(strings.TrimSpace(string(real)), filepath.Join(bin, "aws")); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"home", "work"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	s := &session{addr: startServer(t, filepath.Join(bin, "iamlocal")), dir: dir, bound: map[string]string{}, placeholders: map[string]string{}}

	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, "IAMLOCAL_") || strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "PATH=")
	})
	env = append(env,
		"HOME="+filepath.Join(dir, "home"),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"AWS_CONFIG_FILE="+filepath.Join(dir, "home", "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "home", "credentials"),
		"AWS_PAGER=", // aws-cli v2 would page a long answer
	)
	sh := exec.Command("bash", "--noprofile", "--norc")
	sh.Dir, sh.Env = filepath.Join(dir, "work"), env
	// No controlling terminal: aws-cli must not prompt on the terminal the
	// test runs in (script(1) gives the command that prompts one of its own).
	sh.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	stdin, err := sh.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	sh.Stdout, sh.Stderr = w, w // one stream, in the order a terminal shows
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { stdin.Close(); sh.Process.Kill(); sh.Wait(); r.Close() })
	s.stdin = stdin
	s.output = make(chan []byte)
	go func() {
		defer close(s.output)
		for {
			buf := make([]byte, 4096)
			n, err := r.Read(buf)
			if n > 0 {
				s.output <- buf[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

// startServer runs the binary on a port of its choosing and returns the
// host:port it prints.
func startServer(t *testing.T, bin string) string {
	t.Helper()
	srv := exec.Command(bin, "--addr", "127.0.0.1:0", "--ephemeral", "--log-level", "warn")
	srv.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "IAMLOCAL_") })
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	srv.Stdout, srv.Stderr = w, w
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { srv.Process.Signal(os.Interrupt); srv.Wait(); r.Close() })
	addr := make(chan string, 1)
	go func() {
		defer close(addr)
		lines := bufio.NewScanner(r)
		for lines.Scan() { // to the end: the server must never block on a full pipe
			if a, ok := strings.CutPrefix(lines.Text(), "iamlocal: IAM and STS on http://"); ok {
				addr <- a
			}
		}
	}()
	select {
	case a, ok := <-addr:
		if ok {
			return a
		}
		t.Fatal("iamlocal ended before it served")
	case <-time.After(30 * time.Second):
		t.Fatal("iamlocal did not say where it serves within 30 s")
	}
	return ""
}

// mfaPrompt is aws-cli's question for a profile with mfa_serial; the
// reader types the code, which a terminal does not echo.
var mfaPrompt = regexp.MustCompile(`Enter MFA code for (\S+): ?`)

// totpCommand is `iamlocal totp --serial NAME` in a command.
var totpCommand = regexp.MustCompile(`iamlocal totp --serial (\S+)`)

// check runs one step and compares its output with the guide's.
func (s *session) check(t *testing.T, guide string, st step) string {
	t.Helper()
	command := strings.ReplaceAll(substitute(st.command, s.bound), guideAddr, s.addr)
	// Each code works once: where the reader would wait for a fresh one
	// (the guide says so), the test moves the emulator clock instead.
	if m := totpCommand.FindStringSubmatch(command); m != nil {
		s.freshCode(t, m[1])
	}
	prompt := mfaPrompt.FindStringSubmatch(st.output)
	var line string
	if prompt == nil {
		line = "{\n" + command + "\n} </dev/null; printf '\\n%s\\n' '" + endMark + "'\n"
	} else {
		file := filepath.Join(s.dir, "prompting.sh")
		if err := os.WriteFile(file, []byte(command+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		line = "script -qec 'bash " + file + "' /dev/null; printf '\\n%s\\n' '" + endMark + "'\n"
	}
	if _, err := io.WriteString(s.stdin, line); err != nil {
		t.Fatalf("%s:%d: the shell is gone: %v", guide, st.line, err)
	}
	var out []byte
	answered := false
	timeout := time.After(commandTimeout)
	for !bytes.Contains(out, []byte("\n"+endMark+"\n")) {
		select {
		case b, ok := <-s.output:
			if !ok {
				t.Fatalf("%s:%d: the shell ended; it printed:\n%s", guide, st.line, out)
			}
			out = append(out, b...)
		case <-timeout:
			t.Fatalf("%s:%d: $ %s\nno end after %v; it printed:\n%s", guide, st.line, st.command, commandTimeout, out)
		}
		if prompt != nil && !answered {
			if m := mfaPrompt.FindSubmatch(out); m != nil {
				code := s.freshCode(t, string(m[1]))
				io.WriteString(s.stdin, code+"\n")
				answered = true
			}
		}
	}
	got := string(out[:bytes.Index(out, []byte("\n"+endMark+"\n"))])
	got = strings.ReplaceAll(got, s.addr, guideAddr)
	pairs, err := compare(st.output, got)
	switch {
	case err == nil:
		got = st.output
	case *record:
		t.Logf("%s:%d: $ %s\n%v", guide, st.line, st.command, err)
		pairs = pairByPosition(st.output, got)
		for _, p := range pairs {
			if _, ok := s.bound[p[0]]; !ok {
				s.placeholders[p[0]] = p[1]
			}
		}
		for guideValue, value := range s.bound { // keep the guide's samples
			got = strings.ReplaceAll(got, value, guideValue)
		}
	default:
		t.Fatalf("%s:%d: $ %s\n%v", guide, st.line, st.command, err)
	}
	for _, p := range pairs {
		if was, ok := s.bound[p[0]]; ok && was != p[1] && !*record {
			t.Fatalf("%s:%d: the guide shows %s again, which stood for %s, but this run printed %s", guide, st.line, p[0], was, p[1])
		}
		s.bound[p[0]] = p[1]
	}
	return got
}

// freshCode returns the current code of a virtual MFA device, first moving
// the emulator clock past the codes it has already accepted.
func (s *session) freshCode(t *testing.T, serial string) string {
	t.Helper()
	for range 3 {
		var c struct {
			Current     string `json:"current"`
			CurrentUsed bool   `json:"currentUsed"`
			NextUsed    bool   `json:"nextUsed"`
			FreshSecs   int    `json:"freshInSeconds"`
		}
		resp, err := http.Get("http://" + s.addr + "/_iamlocal/totp?serial=" + serial)
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&c)
		resp.Body.Close()
		switch {
		case err != nil || resp.StatusCode != http.StatusOK:
			return "" // no such device (yet): the command's own output tells
		case !c.CurrentUsed && !c.NextUsed:
			return c.Current
		}
		advance := max(c.FreshSecs, 1)
		resp, err = http.Post(fmt.Sprintf("http://%s/_iamlocal/clock?advance=%ds", s.addr, advance), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("advancing the clock by %d s: %s", advance, resp.Status)
		}
	}
	t.Fatalf("device %s has no fresh code after three clock advances", serial)
	return ""
}

// pairByPosition pairs the bound values of an output that differs from
// the guide's, in order, so that -record can go on.
func pairByPosition(want, got string) [][2]string {
	_, wantValues := masked(normalize(want))
	_, gotValues := masked(normalize(got))
	var pairs [][2]string
	for i, m := range masks {
		for j := range min(len(wantValues[i]), len(gotValues[i])) {
			if m.bind {
				pairs = append(pairs, [2]string{wantValues[i][j], gotValues[i][j]})
			}
		}
	}
	return pairs
}

// rewriteGuide writes each step's output as got has it, and this run's
// values wherever the guide showed placeholders.
func rewriteGuide(t *testing.T, path string, steps []step, got []string, placeholders map[string]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	var out []string
	next := 0
	for i, st := range steps {
		cmdLines := strings.Count(st.command, "\n") + 1
		out = append(out, lines[next:st.line-1+cmdLines]...)
		if o := strings.Trim(strings.ReplaceAll(got[i], "\r\n", "\n"), "\n"); o != "" {
			for _, l := range strings.Split(o, "\n") {
				out = append(out, strings.TrimRight(st.indent+l, " "))
			}
		}
		next = st.line - 1 + cmdLines + strings.Count(st.output, "\n")
	}
	out = append(out, lines[next:]...)
	text := substitute(strings.Join(out, "\n"), placeholders)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyBlocks puts the ```console blocks of one guide, in order, in place of
// those of the other, whose prose stays.
func copyBlocks(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := os.ReadFile(to)
	if err != nil {
		t.Fatal(err)
	}
	blocks, _ := consoleBlocks(strings.Split(string(src), "\n"))
	lines := strings.Split(string(dst), "\n")
	_, spans := consoleBlocks(lines)
	if len(blocks) != len(spans) {
		t.Fatalf("%s has %d command blocks, %s %d: copy them by hand", from, len(blocks), to, len(spans))
	}
	var out []string
	next := 0
	for i, sp := range spans {
		out = append(append(out, lines[next:sp[0]]...), blocks[i]...)
		next = sp[1]
	}
	out = append(out, lines[next:]...)
	if err := os.WriteFile(to, []byte(strings.Join(out, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// consoleBlocks returns each ```console block's lines, fences included,
// and where it starts and ends in lines.
func consoleBlocks(lines []string) (blocks [][]string, spans [][2]int) {
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```console" {
			continue
		}
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " "))]
		j := i + 1
		for j < len(lines) && lines[j] != indent+"```" {
			j++
		}
		blocks = append(blocks, lines[i:min(j+1, len(lines))])
		spans = append(spans, [2]int{i, min(j+1, len(lines))})
		i = j
	}
	return blocks, spans
}

// TestCopyBlocksKeepsProse checks what -record does to the Japanese guide.
func TestCopyBlocksKeepsProse(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "en.md"), filepath.Join(dir, "ja.md")
	en := "Run:\n\n   ```console\n   $ aws iam list-users\n   new\n   ```\n\nDone.\n"
	ja := "実行します。\n\n   ```console\n   $ aws iam list-users\n   old\n   ```\n\n完了です。\n"
	if err := os.WriteFile(from, []byte(en), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, []byte(ja), 0o600); err != nil {
		t.Fatal(err)
	}
	copyBlocks(t, from, to)
	got, err := os.ReadFile(to)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(ja, "old", "new", 1); string(got) != want {
		t.Fatalf("ja.md=%q, want %q", got, want)
	}
}
