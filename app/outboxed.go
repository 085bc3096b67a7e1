package app

// Outboxed is what a service calls after it wrote a fact to the outbox,
// so that the sync engine shows it as pending and sends it now rather than
// at its next tick. The composition root sets it once for every service
// of a workstation; nil does nothing (tests, headless commands that sync
// on their own).
type Outboxed func()

// Notify calls o when it is set.
func (o Outboxed) Notify() {
	if o != nil {
		o()
	}
}
