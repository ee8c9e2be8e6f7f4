// Package store keeps iamlocal's state in one bbolt file: typed records as
// JSON, one key per entity, nested buckets per account, the secondary
// indexes, and the schema version. It knows nothing of AWS errors: misses
// and conflicts are the sentinels ErrNotFound and ErrExists, which the
// emulator maps to AWS's answers at the call site.
//
// # Caveats
//
//   - Records returned by a Tx are decoded copies: changing one changes
//     nothing until it is put back inside an Update.
//   - A Tx belongs to one goroutine and is valid only inside the View or
//     Update function that received it.
//   - Never open a transaction inside another: helpers take the *Tx.
//   - An Update function may run more than once (group commit retries the
//     rest of a batch after a failed member): it must derive everything
//     from the Tx and its own arguments, and reset what it captures.
//     Options.VerifyRerun makes tests run every function twice.
//   - Open checks every page of an existing file before bbolt maps it, and
//     refuses a truncated or garbled one with ErrDamaged.
package store
