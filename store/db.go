package store

import (
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this code reads and writes.
const SchemaVersion = 1

// maxBatch bounds how many concurrent writes share one commit.
const maxBatch = 256

var (
	bucketMeta     = []byte("meta")
	bucketAccounts = []byte("accounts")
	bucketKeys     = []byte("accesskeys")
	keySchema      = []byte("schema")
	keyCreated     = []byte("created")
)

// Options tune Open.
type Options struct {
	// LockTimeout is how long Open waits for another process to release
	// the file; zero means one second.
	LockTimeout time.Duration
	// NoSync skips fsync: for a scratch file that nothing reopens after a
	// crash (--ephemeral), where durability buys nothing.
	NoSync bool
	// VerifyRerun is for tests: run every Update function twice, first in
	// a transaction that is rolled back, to prove that closures are safe
	// to re-run under group commit. A function whose second run returns
	// or writes something else fails with ErrNotRerunnable. Writes are
	// then committed one by one.
	VerifyRerun bool
}

// DB is the state file. Reads run concurrently; writes go through one
// committer that folds concurrent Updates into a single fsync'd commit.
type DB struct {
	bolt   *bolt.DB
	writes chan *write
	closed chan struct{}
	once   sync.Once
	mu     sync.RWMutex // held for reading by Update while it submits; Close takes it to stop submissions
	done   bool
	// created is when the state file was made: the accounts' creation date.
	created time.Time
	// generation counts commits; it moves before any writer is answered.
	generation atomic.Uint64
	// dataGeneration counts the commits that wrote more than usage
	// records (see UpdateUsage).
	dataGeneration atomic.Uint64
	// verifyRerun: see Options.VerifyRerun.
	verifyRerun bool
}

type write struct {
	fn    func(*Tx) error
	done  chan error
	usage bool // UpdateUsage: records usage only
	// rehearsal is what fn did in a rolled-back run, when re-runs are
	// verified.
	rehearsal *outcome
}

// ErrLocked means another process holds the state file.
var ErrLocked = errors.New("store: state file is locked by another process")

// Open opens or creates the state file at path with mode 0600, creating its
// directory with 0700, and checks or writes the schema version. A file
// that is truncated or garbled is refused with ErrDamaged, untouched.
func Open(path string, o Options) (*DB, error) {
	if o.LockTimeout == 0 {
		o.LockTimeout = time.Second
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        o.LockTimeout,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
		NoSync:         o.NoSync,
		NoGrowSync:     o.NoSync,
		OpenFile:       openChecked(o.LockTimeout),
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (is another iamlocal running on it?)", ErrLocked, path)
	}
	if errors.Is(err, ErrDamaged) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := ensureSchema(b); err != nil {
		b.Close()
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		b.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	db := &DB{bolt: b, writes: make(chan *write, maxBatch), closed: make(chan struct{}), verifyRerun: o.VerifyRerun}
	b.View(func(tx *bolt.Tx) error {
		db.created, _ = time.Parse(time.RFC3339, string(tx.Bucket(bucketMeta).Get(keyCreated)))
		return nil
	})
	go db.commitLoop()
	return db, nil
}

// ensureSchema checks the schema version, writing (and so fsyncing) only
// when the file is new or older: a plain restart stays fast. A file whose
// buckets are not all there is damaged: writing would hide the loss.
func ensureSchema(b *bolt.DB) error {
	current := false
	err := b.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			if k, _ := tx.Cursor().First(); k != nil {
				return damaged(b.Path(), errors.New("it has no meta bucket"))
			}
			return nil
		}
		if tx.Bucket(bucketAccounts) == nil || tx.Bucket(bucketKeys) == nil {
			return damaged(b.Path(), errors.New("a data bucket is missing"))
		}
		current = string(meta.Get(keySchema)) == strconv.Itoa(SchemaVersion) && meta.Get(keyCreated) != nil
		return nil
	})
	if err != nil || current {
		return err
	}
	return b.Update(func(btx *bolt.Tx) error { return initSchema(&Tx{tx: btx}) })
}

func initSchema(tx *Tx) error {
	meta, err := tx.createBucket(nil, bucketMeta)
	if err != nil {
		return err
	}
	if v := meta.Get(keySchema); v != nil {
		n, err := strconv.Atoi(string(v))
		if err != nil {
			return damaged(tx.tx.DB().Path(), fmt.Errorf("unreadable schema version %q", v))
		}
		if n > SchemaVersion {
			return fmt.Errorf("store: state file has schema version %d, newer than this iamlocal understands (%d); use a newer iamlocal or another --data file", n, SchemaVersion)
		}
	}
	if err := tx.putRaw(meta, keySchema, []byte(strconv.Itoa(SchemaVersion))); err != nil {
		return err
	}
	if meta.Get(keyCreated) == nil {
		now := time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
		if err := tx.putRaw(meta, keyCreated, []byte(now)); err != nil {
			return err
		}
	}
	return createDataBuckets(tx)
}

func createDataBuckets(tx *Tx) error {
	for _, name := range [][]byte{bucketAccounts, bucketKeys} {
		if _, err := tx.createBucket(nil, name); err != nil {
			return err
		}
	}
	return nil
}

// Generation changes whenever a write commits, before the writer learns of
// it: a cache of what a View read is current while Generation is unchanged
// from before that View.
func (db *DB) Generation() uint64 { return db.generation.Load() }

// DataGeneration is Generation without the commits that only recorded
// usage (UpdateUsage): caches of identities, keys and policies, which usage
// never changes, stay current across the once-a-second usage flush.
func (db *DB) DataGeneration() uint64 { return db.dataGeneration.Load() }

// Created is when the state file was first made.
func (db *DB) Created() time.Time { return db.created }

// Path is the file the DB lives in.
func (db *DB) Path() string { return db.bolt.Path() }

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(*Tx) error) error {
	return db.bolt.View(func(btx *bolt.Tx) error {
		return fn(&Tx{tx: btx})
	})
}

// ErrClosed is returned by Update after Close.
var ErrClosed = errors.New("store: closed")

// Update runs fn in a read-write transaction and returns once the
// transaction is committed to disk, or with fn's error and none of fn's
// writes applied. Concurrent Updates share commits (see the package
// caveats: fn may run more than once).
func (db *DB) Update(fn func(*Tx) error) error { return db.submit(&write{fn: fn}) }

// UpdateUsage is Update for a function that writes nothing but usage
// records (when a key was last used): its commit does not move
// DataGeneration.
func (db *DB) UpdateUsage(fn func(*Tx) error) error { return db.submit(&write{fn: fn, usage: true}) }

func (db *DB) submit(w *write) error {
	db.mu.RLock()
	if db.done {
		db.mu.RUnlock()
		return ErrClosed
	}
	w.done = make(chan error, 1)
	db.writes <- w
	db.mu.RUnlock()
	return <-w.done
}

// commitLoop takes the first waiting write, adds whatever else is already
// waiting without delay, and commits them together: a lone writer pays one
// fsync, many writers share one.
func (db *DB) commitLoop() {
	defer close(db.closed)
	limit := maxBatch
	if db.verifyRerun {
		limit = 1 // a rehearsal alone predicts only a run alone
	}
	batch := make([]*write, 0, limit)
	for first := range db.writes {
		batch = append(batch[:0], first)
	drain:
		for len(batch) < limit {
			select {
			case w, ok := <-db.writes:
				if !ok {
					break drain
				}
				batch = append(batch, w)
			default:
				break drain
			}
		}
		db.commit(batch)
	}
}

// commit runs the batch in one transaction. A member that fails after
// writing aborts the transaction; it gets its error and the rest run again
// without it. A member that fails without writing just gets its error.
func (db *DB) commit(batch []*write) {
	if db.verifyRerun {
		for _, w := range batch {
			w.rehearsal = db.rehearse(w.fn)
		}
	}
	results := make([]error, len(batch))
	for len(batch) > 0 {
		failed, failErr, wrote, wroteData := -1, error(nil), false, false
		err := db.bolt.Update(func(btx *bolt.Tx) error {
			for i, w := range batch {
				tx := db.tx(btx)
				err := call(w.fn, tx)
				if w.rehearsal != nil {
					err = w.rehearsal.rerun(tx, err)
				}
				results[i] = err
				if err != nil && tx.dirty {
					failed, failErr = i, err
					return err
				}
				wrote = wrote || tx.dirty
				wroteData = wroteData || tx.dirty && !w.usage
			}
			return nil
		})
		if failed >= 0 {
			batch[failed].done <- failErr
			batch = append(batch[:failed], batch[failed+1:]...)
			results = results[:len(batch)]
			continue
		}
		if err == nil && wroteData {
			db.dataGeneration.Add(1)
		}
		if err == nil && wrote {
			db.generation.Add(1)
		}
		for i, w := range batch {
			if err != nil {
				w.done <- err
			} else {
				w.done <- results[i]
			}
		}
		return
	}
}

// tx wraps a bbolt transaction, digesting its writes when re-runs are
// verified.
func (db *DB) tx(btx *bolt.Tx) *Tx {
	tx := &Tx{tx: btx}
	if db.verifyRerun {
		tx.writes = fnv.New64a()
	}
	return tx
}

// ErrNotRerunnable means an Update function returned or wrote something
// else when run a second time on the same state (see Options.VerifyRerun).
var ErrNotRerunnable = errors.New("store: Update function is not safe to re-run")

// outcome is what one run of an Update function returned and wrote.
type outcome struct {
	err    string
	writes uint64 // digest
}

func outcomeOf(tx *Tx, err error) outcome {
	o := outcome{writes: tx.writes.Sum64()}
	if err != nil {
		o.err = err.Error()
	}
	return o
}

var errRehearsal = errors.New("store: rehearsal")

// rehearse runs fn in a transaction that is then rolled back.
func (db *DB) rehearse(fn func(*Tx) error) *outcome {
	var o outcome
	db.bolt.Update(func(btx *bolt.Tx) error {
		tx := db.tx(btx)
		o = outcomeOf(tx, call(fn, tx))
		return errRehearsal
	})
	return &o
}

// rerun checks a second run, which returned err, against the rehearsal; a
// mismatch counts as a write so that the transaction is rolled back.
func (o *outcome) rerun(tx *Tx, err error) error {
	again := outcomeOf(tx, err)
	switch {
	case again.err != o.err:
		tx.dirty = true
		return fmt.Errorf("%w: it returned %q, then %q", ErrNotRerunnable, o.err, again.err)
	case again.writes != o.writes:
		tx.dirty = true
		return fmt.Errorf("%w: its second run wrote something else", ErrNotRerunnable)
	}
	return err
}

// call runs fn, turning a panic into an error and counting it as a write so
// that the transaction is rolled back.
func call(fn func(*Tx) error, tx *Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			tx.dirty = true
			err = fmt.Errorf("store: panic in update: %v", p)
		}
	}()
	return fn(tx)
}

// Reset removes every record and the clock offset, keeping the schema
// version.
func (db *DB) Reset() error {
	return db.Update(func(tx *Tx) error {
		if err := tx.clearData(); err != nil {
			return err
		}
		return createDataBuckets(tx)
	})
}

// Close waits for pending writes, then closes the file.
func (db *DB) Close() error {
	db.once.Do(func() {
		db.mu.Lock()
		db.done = true
		close(db.writes)
		db.mu.Unlock()
	})
	<-db.closed
	return db.bolt.Close()
}
