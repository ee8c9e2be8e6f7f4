package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is an iamlocal process started for a measurement.
type server struct {
	cmd      *exec.Cmd
	endpoint string
	started  time.Time
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func startServer(bin string, extra ...string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	args := append([]string{"--ephemeral", "--addr", addr, "--log-level", "warn"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "IAMLOCAL_") })
	s := &server{cmd: cmd, endpoint: "http://" + addr, started: time.Now()}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return s, nil
}

// waitReady polls until the server answers a signed request; it returns
// the time from process start to that first answer.
func (s *server) waitReady(ctx context.Context, c *client) (time.Duration, error) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if status, _, err := c.call(ctx, c.root, "sts", "GetCallerIdentity"); err == nil && status == 200 {
			return time.Since(s.started), nil
		}
		time.Sleep(200 * time.Microsecond)
	}
	return 0, fmt.Errorf("%s did not answer within 10 s", s.endpoint)
}

func (s *server) stop() error {
	s.cmd.Process.Signal(syscall.SIGTERM)
	return s.cmd.Wait()
}

func startup(ctx context.Context, o *options) error {
	var took []time.Duration
	for range o.runs {
		s, err := startServer(o.server)
		if err != nil {
			return err
		}
		c := newClient(s.endpoint, o.accessKey, o.secretKey, 1)
		d, err := s.waitReady(ctx, c)
		s.stop()
		if err != nil {
			return err
		}
		took = append(took, d)
	}
	slices.Sort(took)
	fmt.Printf("startup runs=%d min=%s p50=%s max=%s\n", len(took), ms(took[0]), ms(percentile(took, 50)), ms(took[len(took)-1]))
	return nil
}

func rss(ctx context.Context, o *options) error {
	s, err := startServer(o.server, "--max-users", strconv.Itoa(o.users*2))
	if err != nil {
		return err
	}
	defer s.stop()
	c := newClient(s.endpoint, o.accessKey, o.secretKey, 32)
	if _, err := s.waitReady(ctx, c); err != nil {
		return err
	}
	time.Sleep(time.Second)
	idle, err := residentMB(s.cmd.Process.Pid)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := populate(ctx, c, o.users); err != nil {
		return err
	}
	filled := time.Since(start)
	time.Sleep(2 * time.Second)
	full, err := residentMB(s.cmd.Process.Pid)
	if err != nil {
		return err
	}
	fmt.Printf("rss idle=%.1fMB after %d users with 2 keys each=%.1fMB (created in %s)\n", idle, o.users, full, filled.Round(time.Millisecond))
	return nil
}

// populate creates users with two access keys each, 32 at a time.
func populate(ctx context.Context, c *client, users int) error {
	next := make(chan int)
	errs := make(chan error, 32)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for i := range next {
				name := fmt.Sprintf("rss-user-%d", i)
				if _, err := c.must(ctx, c.root, "iam", "CreateUser", "UserName", name); err != nil {
					errs <- err
					return
				}
				for range 2 {
					if _, err := c.must(ctx, c.root, "iam", "CreateAccessKey", "UserName", name); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	var err error
feed:
	for i := range users {
		select {
		case next <- i:
		case err = <-errs:
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err == nil && len(errs) > 0 {
		err = <-errs
	}
	return err
}

// residentMB reads VmRSS of process pid.
func residentMB(pid int) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS for process %d", pid)
}
