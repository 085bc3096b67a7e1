package request

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// Notice channels.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
	ChannelPEC   = "pec"
)

// Notice is a message to a citizen about a request, queued by the hub in
// the transaction that changes the request and sent by its notifier. ID
// is the message's identity (its Message-ID): one per request version and
// channel.
type Notice struct {
	ID        string
	Request   string
	Comune    string
	Channel   string
	Recipient string
	Subject   string
	Body      string
	Attempts  int // including the one in progress
	CreatedAt time.Time
}

// Notice states in the hub's outbox.
const (
	NoticeQueued    = "queued"
	NoticeSending   = "sending"
	NoticeSent      = "sent"
	NoticeFailed    = "failed"
	NoticeUncertain = "uncertain" // was being sent when the notifier stopped: a person decides
)

// NoticeQueue is the hub's outbox of notices.
//   - Claim moves up to limit due notices to "sending" and returns them; a
//     notice is claimed by one worker only.
//   - Sent marks a claimed notice sent; Failed puts it back in the queue
//     for retryAt, or marks it failed for good when final.
//   - Recover turns the notices left "sending" by a stopped worker into
//     "uncertain": they may have gone out, so they are not sent again
//     without a person (at most once).
type NoticeQueue interface {
	ClaimNotices(ctx context.Context, now time.Time, limit int) ([]Notice, error)
	NoticeSent(ctx context.Context, id string, at time.Time) error
	NoticeFailed(ctx context.Context, id, reason string, retryAt time.Time, final bool) error
	RecoverNotices(ctx context.Context) (int, error)
}

// FollowPath is the path of the hub's page where a citizen follows a
// request, with no account: the request's id and its follow code open it.
const FollowPath = "/pratica"

// FollowURL is the address of the page that follows r on the hub whose
// public address is base; "" without one.
func FollowURL(base string, r *Request) string {
	if base == "" {
		return ""
	}
	return strings.TrimRight(base, "/") + FollowPath + "?id=" + r.ID + "&k=" + r.FollowCode
}

// NoticesFor composes the notices of a request at its current version,
// one per contact of its form: email, SMS, PEC. The email and the PEC link
// to followURL, the request's page on the hub, when it is not "".
func NoticesFor(r *Request, comuneName, followURL string, now time.Time) []Notice {
	c := ContactsOf(r.Values)
	subject := fmt.Sprintf("Comune di %s - richiesta %s: %s", comuneName, r.DisplayNumber(), strings.ToLower(r.Status.Title()))
	var b strings.Builder
	fmt.Fprintf(&b, "Gentile %s,\n\n", r.ApplicantName)
	if r.Version == 1 {
		fmt.Fprintf(&b, "la sua richiesta \"%s\" è stata protocollata con il numero %s del %s.\n",
			r.ServiceTitle, r.Number, r.ProtocolAt.In(app.Rome).Format("02/01/2006"))
	} else {
		fmt.Fprintf(&b, "la sua richiesta \"%s\" n. %s è ora: %s.\n", r.ServiceTitle, r.DisplayNumber(), strings.ToLower(r.Status.Title()))
	}
	if n := r.History[len(r.History)-1].Note; n != "" {
		fmt.Fprintf(&b, "\nNota dell'ufficio: %s\n", n)
	}
	if r.Status == StatusIntegration {
		b.WriteString("\nPer completarla, porti o invii i documenti indicati citando il numero della richiesta.\n")
	}
	if followURL != "" {
		fmt.Fprintf(&b, "\nPuò seguirla a questo indirizzo, o inquadrando il codice QR della ricevuta:\n%s\n", followURL)
	} else {
		b.WriteString("\nPuò seguirla inquadrando il codice QR della ricevuta.\n")
	}
	fmt.Fprintf(&b, "\nComune di %s\n", comuneName)
	sms := fmt.Sprintf("Comune di %s: richiesta %s %s.", comuneName, r.DisplayNumber(), strings.ToLower(r.Status.Title()))
	var out []Notice
	add := func(channel, to, subject, body string) {
		if to == "" {
			return
		}
		out = append(out, Notice{ID: fmt.Sprintf("%s.v%d.%s@sportello", r.ID, r.Version, channel), Request: r.ID, Comune: r.Comune,
			Channel: channel, Recipient: to, Subject: subject, Body: body, CreatedAt: now})
	}
	add(ChannelEmail, c.Email, subject, b.String())
	add(ChannelPEC, c.PEC, subject, b.String())
	add(ChannelSMS, c.Phone, "", sms)
	return out
}
