package store

import (
	"errors"
	"fmt"
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
}

type write struct {
	fn   func(*Tx) error
	done chan error
}

// ErrLocked means another process holds the state file.
var ErrLocked = errors.New("store: state file is locked by another process")

// Open opens or creates the state file at path with mode 0600, creating its
// directory with 0700, and checks or writes the schema version.
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
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (is another iamlocal running on it?)", ErrLocked, path)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		b.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := ensureSchema(b); err != nil {
		b.Close()
		return nil, err
	}
	db := &DB{bolt: b, writes: make(chan *write, maxBatch), closed: make(chan struct{})}
	b.View(func(tx *bolt.Tx) error {
		db.created, _ = time.Parse(time.RFC3339, string(tx.Bucket(bucketMeta).Get(keyCreated)))
		return nil
	})
	go db.commitLoop()
	return db, nil
}

// ensureSchema checks the schema version, writing (and so fsyncing) only
// when the file is new or older: a plain restart stays fast.
func ensureSchema(b *bolt.DB) error {
	current := false
	err := b.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		current = meta != nil && string(meta.Get(keySchema)) == strconv.Itoa(SchemaVersion) && meta.Get(keyCreated) != nil &&
			tx.Bucket(bucketAccounts) != nil && tx.Bucket(bucketKeys) != nil
		return nil
	})
	if err != nil || current {
		return err
	}
	return b.Update(initSchema)
}

func initSchema(tx *bolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	if v := meta.Get(keySchema); v != nil {
		n, err := strconv.Atoi(string(v))
		if err != nil {
			return fmt.Errorf("store: unreadable schema version %q", v)
		}
		if n > SchemaVersion {
			return fmt.Errorf("store: state file has schema version %d, newer than this iamlocal understands (%d); use a newer iamlocal or another --data file", n, SchemaVersion)
		}
	}
	if err := meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion))); err != nil {
		return err
	}
	if meta.Get(keyCreated) == nil {
		now := time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
		if err := meta.Put(keyCreated, []byte(now)); err != nil {
			return err
		}
	}
	return createDataBuckets(tx)
}

func createDataBuckets(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketAccounts, bucketKeys} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// Generation changes whenever a write commits, before the writer learns of
// it: a cache of what a View read is current while Generation is unchanged
// from before that View.
func (db *DB) Generation() uint64 { return db.generation.Load() }

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
func (db *DB) Update(fn func(*Tx) error) error {
	db.mu.RLock()
	if db.done {
		db.mu.RUnlock()
		return ErrClosed
	}
	w := &write{fn: fn, done: make(chan error, 1)}
	db.writes <- w
	db.mu.RUnlock()
	return <-w.done
}

// commitLoop takes the first waiting write, adds whatever else is already
// waiting without delay, and commits them together: a lone writer pays one
// fsync, many writers share one.
func (db *DB) commitLoop() {
	defer close(db.closed)
	batch := make([]*write, 0, maxBatch)
	for first := range db.writes {
		batch = append(batch[:0], first)
	drain:
		for len(batch) < maxBatch {
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
	results := make([]error, len(batch))
	for len(batch) > 0 {
		failed, failErr, wrote := -1, error(nil), false
		err := db.bolt.Update(func(btx *bolt.Tx) error {
			for i, w := range batch {
				tx := &Tx{tx: btx}
				err := call(w.fn, tx)
				results[i] = err
				if err != nil && tx.dirty {
					failed, failErr = i, err
					return err
				}
				wrote = wrote || tx.dirty
			}
			return nil
		})
		if failed >= 0 {
			batch[failed].done <- failErr
			batch = append(batch[:failed], batch[failed+1:]...)
			results = results[:len(batch)]
			continue
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
		tx.dirty = true
		for _, name := range [][]byte{bucketAccounts, bucketKeys} {
			if err := tx.tx.DeleteBucket(name); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return err
			}
		}
		if err := tx.SetClockOffset(0); err != nil {
			return err
		}
		return createDataBuckets(tx.tx)
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
