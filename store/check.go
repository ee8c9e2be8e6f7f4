package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"runtime/debug"
	"time"
)

// ErrDamaged means the state file is not a bbolt file that this code can
// read without crashing: truncated, garbled, or not a state file at all.
var ErrDamaged = errors.New("store: state file is damaged")

// damaged is the one-line error for a damaged file: which, why, and what
// to do.
func damaged(path string, why error) error {
	return fmt.Errorf("%w: %s (%v); move it aside or restore a copy, then start again", ErrDamaged, path, why)
}

// bbolt's on-disk layout (go.etcd.io/bbolt/internal/common), in the
// machine's byte order.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16 // id u64, flags u16, count u16, overflow u32
	elementSize    = 16 // branch: pos u32, ksize u32, pgid u64; leaf: flags u32, pos u32, ksize u32, vsize u32
	metaSize       = 64 // magic, version, pageSize, flags u32; root, sequence, freelist, pgid, txid, checksum u64
	bucketHeader   = 16 // root pgid u64, sequence u64; an inline page follows when root is 0

	branchPage   = 0x01
	leafPage     = 0x02
	freelistPage = 0x10
	bucketLeaf   = 0x01
	noFreelist   = ^uint64(0)
)

var ne = binary.NativeEndian

// openChecked is bbolt's OpenFile hook: it opens the file, takes bbolt's
// lock on it (bbolt's own flock on the same descriptor then succeeds), and
// checks every page bbolt would touch before bbolt maps it. bbolt cannot
// be recovered around: at open it rebuilds its free list by walking the
// tree on a goroutine of its own, where a page past the end of the file is
// a SIGBUS and a garbled one an assertion or bounds panic.
func openChecked(timeout time.Duration) func(string, int, os.FileMode) (*os.File, error) {
	return func(path string, flag int, mode os.FileMode) (*os.File, error) {
		f, err := os.OpenFile(path, flag, mode)
		if err != nil {
			return nil, err
		}
		if err := lockFile(f, timeout); err != nil {
			f.Close()
			return nil, err
		}
		if err := checkFile(f); err != nil {
			f.Close()
			return nil, damaged(path, err)
		}
		return f, nil
	}
}

// checkFile checks the meta page bbolt will use and every page reachable
// from it, with every offset bounds-checked so that damage is an error,
// never a fault. An empty file is a new one, which bbolt initialises.
func checkFile(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size := uint64(fi.Size())
	if size == 0 {
		return nil
	}
	m, err := readMeta(f, size)
	if err != nil {
		return err
	}
	if m.pgid > size/m.pageSize {
		return fmt.Errorf("it is %d bytes long, but its pages reach byte %d", size, m.pgid*m.pageSize)
	}
	data, unmap, err := mapFile(f, int(m.pgid*m.pageSize))
	if err != nil {
		return err
	}
	defer unmap()
	return walk(data, m)
}

// walk checks the free list and the tree of the pages in data. A fault (the
// file shrank under the map) is damage too, not a crash: this goroutine is
// the one place where it can be recovered.
func walk(data []byte, m meta) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("reading it failed: %v", p)
		}
	}()
	c := &checker{data: data, pageSize: m.pageSize, hwm: m.pgid, seen: make([]bool, m.pgid)}
	if _, err := c.tree(m.root, nil, nil); err != nil {
		return err
	}
	if m.freelist != noFreelist {
		return c.freelist(m.freelist)
	}
	return nil
}

type meta struct {
	pageSize, root, freelist, pgid, txid uint64
}

// readMeta picks the meta page as bbolt does: the page size from the
// first valid meta (searching for the second when the first is bad), then
// the valid meta with the higher transaction id.
func readMeta(f *os.File, size uint64) (meta, error) {
	m0, ok0 := metaAt(f, 0)
	pageSize := m0.pageSize
	if !ok0 {
		for pos := uint64(1024); pos <= 1024<<14 && pos+1024 < size; pos <<= 1 {
			if m, ok := metaAt(f, pos); ok {
				pageSize = m.pageSize
				break
			}
		}
	}
	if pageSize < 1024 || pageSize > 1024<<14 {
		return meta{}, errors.New("neither meta page is valid")
	}
	if size < 2*pageSize {
		return meta{}, fmt.Errorf("it is %d bytes, shorter than its two meta pages", size)
	}
	m1, ok1 := metaAt(f, pageSize)
	switch {
	case ok1 && (!ok0 || m1.txid > m0.txid):
		return m1, nil
	case ok0:
		return m0, nil
	}
	return meta{}, errors.New("neither meta page is valid")
}

// metaAt reads the meta page at byte pos; ok reports a valid magic,
// version and checksum.
func metaAt(f *os.File, pos uint64) (m meta, ok bool) {
	buf := make([]byte, pageHeaderSize+metaSize)
	if _, err := f.ReadAt(buf, int64(pos)); err != nil {
		return meta{}, false
	}
	b := buf[pageHeaderSize:]
	h := fnv.New64a()
	h.Write(b[:56])
	if ne.Uint32(b[0:]) != boltMagic || ne.Uint32(b[4:]) != boltVersion || ne.Uint64(b[56:]) != h.Sum64() {
		return meta{}, false
	}
	return meta{
		pageSize: uint64(ne.Uint32(b[8:])),
		root:     ne.Uint64(b[16:]),
		freelist: ne.Uint64(b[32:]),
		pgid:     ne.Uint64(b[40:]),
		txid:     ne.Uint64(b[48:]),
	}, true
}

// checker walks the page tree of a state file.
type checker struct {
	data     []byte // pages 0 to hwm-1
	pageSize uint64
	hwm      uint64 // pages in use: ids from 2 to hwm-1
	seen     []bool // pages reached so far, each may be reached once
}

// page returns page id with its overflow pages, which must all lie below
// the high-water mark and be reached for the first time.
func (c *checker) page(id uint64) ([]byte, error) {
	if id < 2 || id >= c.hwm {
		return nil, fmt.Errorf("a reference to page %d, outside pages 2 to %d", id, c.hwm-1)
	}
	p := c.data[id*c.pageSize : (id+1)*c.pageSize]
	if got := ne.Uint64(p); got != id {
		return nil, fmt.Errorf("page %d calls itself page %d", id, got)
	}
	if overflow := uint64(ne.Uint32(p[12:])); overflow > 0 {
		if overflow >= c.hwm-id {
			return nil, fmt.Errorf("page %d runs %d pages past the last one", id, overflow)
		}
		p = c.data[id*c.pageSize : (id+1+overflow)*c.pageSize]
	}
	for i := id; i < id+uint64(len(p))/c.pageSize; i++ {
		if c.seen[i] {
			return nil, fmt.Errorf("page %d is reached twice", i)
		}
		c.seen[i] = true
	}
	return p, nil
}

// tree checks the page id and the pages under it, whose keys must lie in
// [min, max) (nil: unbounded), and returns its largest key.
func (c *checker) tree(id uint64, min, max []byte) ([]byte, error) {
	p, err := c.page(id)
	if err != nil {
		return nil, err
	}
	return c.node(id, p, min, max)
}

// node checks a branch or leaf page p (id 0: an inline bucket's page):
// each element and key inside the page, keys strictly ascending within
// [min, max), and what the elements point to. It returns the largest key.
func (c *checker) node(id uint64, p []byte, min, max []byte) ([]byte, error) {
	flags, count := ne.Uint16(p[8:]), int(ne.Uint16(p[10:]))
	if pageHeaderSize+count*elementSize > len(p) {
		return nil, fmt.Errorf("page %d holds %d elements, more than fit", id, count)
	}
	if flags != leafPage && (flags != branchPage || count == 0) {
		return nil, fmt.Errorf("page %d has type %#x with %d elements", id, flags, count)
	}
	last := min
	for i := range count {
		e := pageHeaderSize + i*elementSize
		key, value, err := element(p, e, flags == leafPage)
		if err != nil {
			return nil, fmt.Errorf("page %d element %d: %w", id, i, err)
		}
		if (last != nil && bytes.Compare(key, last) < 0) || (i > 0 && bytes.Equal(key, last)) || (max != nil && bytes.Compare(key, max) >= 0) {
			return nil, fmt.Errorf("page %d element %d: keys out of order", id, i)
		}
		switch {
		case flags == branchPage:
			next := max
			if i+1 < count {
				if next, _, err = element(p, e+elementSize, false); err != nil {
					return nil, fmt.Errorf("page %d element %d: %w", id, i+1, err)
				}
			}
			if last, err = c.tree(ne.Uint64(p[e+8:]), key, next); err != nil {
				return nil, err
			}
			continue
		case ne.Uint32(p[e:])&bucketLeaf != 0:
			if err := c.bucket(value); err != nil {
				return nil, fmt.Errorf("bucket %q: %w", key, err)
			}
		}
		last = key
	}
	return last, nil
}

// element returns the key (and, on a leaf, the value) of the element at
// byte e of page p, checking that they lie inside the page.
func element(p []byte, e int, leaf bool) (key, value []byte, err error) {
	pos, ksize, vsize := uint64(ne.Uint32(p[e:])), uint64(ne.Uint32(p[e+4:])), uint64(0)
	if leaf {
		pos, ksize, vsize = uint64(ne.Uint32(p[e+4:])), uint64(ne.Uint32(p[e+8:])), uint64(ne.Uint32(p[e+12:]))
	}
	start := uint64(e) + pos
	if start+ksize+vsize > uint64(len(p)) {
		return nil, nil, errors.New("its key or value runs past the end of the page")
	}
	return p[start : start+ksize], p[start+ksize : start+ksize+vsize], nil
}

// bucket checks a bucket's value: the header, then its tree or its inline
// page.
func (c *checker) bucket(v []byte) error {
	if len(v) < bucketHeader {
		return errors.New("header cut short")
	}
	if root := ne.Uint64(v); root != 0 {
		_, err := c.tree(root, nil, nil)
		return err
	}
	inline := v[bucketHeader:]
	if len(inline) < pageHeaderSize || ne.Uint16(inline[8:]) != leafPage {
		return errors.New("inline page is not a leaf")
	}
	_, err := c.node(0, inline, nil, nil)
	return err
}

// freelist checks a free-list page (files written without NoFreelistSync
// have one): its ids must lie below the high-water mark and be free.
func (c *checker) freelist(id uint64) error {
	p, err := c.page(id)
	if err != nil {
		return err
	}
	if ne.Uint16(p[8:]) != freelistPage {
		return fmt.Errorf("free list page %d is not a free list", id)
	}
	first, count := uint64(pageHeaderSize), uint64(ne.Uint16(p[10:]))
	if count == 0xFFFF { // the count did not fit: it is the first id
		first, count = pageHeaderSize+8, ne.Uint64(p[pageHeaderSize:])
	}
	if count > (uint64(len(p))-first)/8 {
		return fmt.Errorf("free list page %d holds %d ids, more than fit", id, count)
	}
	for i := range count {
		free := ne.Uint64(p[first+i*8:])
		if free < 2 || free >= c.hwm || c.seen[free] {
			return fmt.Errorf("free list page %d lists page %d, which is not free", id, free)
		}
		c.seen[free] = true
	}
	return nil
}
