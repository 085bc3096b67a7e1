package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/sportello/sportello/app/request"
)

// SMTP sends notices as email through an SMTP server: the comune's mail
// relay for email, the certified-mail provider's for PEC (which is SMTP
// to a PEC address, usually with implicit TLS on port 465).
type SMTP struct {
	Addr     string // host:port
	From     string // the sender address; for PEC, the comune's PEC box
	Username string // with Password, AUTH PLAIN (only over TLS, or to localhost)
	Password string
	// ImplicitTLS connects with TLS from the start (port 465); StartTLS
	// requires the server's STARTTLS.
	ImplicitTLS bool
	StartTLS    bool
	TLSConfig   *tls.Config
	Hello       string // the name given in EHLO; "localhost" when empty
	Timeout     time.Duration
	Now         func() time.Time
}

// Send delivers one notice; it returns nil once the server has accepted
// the message at the end of DATA.
func (s *SMTP) Send(ctx context.Context, n request.Notice) error {
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return &PermanentError{fmt.Errorf("indirizzo SMTP non valido %q", s.Addr)}
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d := &net.Dialer{}
	var conn net.Conn
	if s.ImplicitTLS {
		conn, err = (&tls.Dialer{NetDialer: d, Config: s.tlsConfig(host)}).DialContext(ctx, "tcp", s.Addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.Addr)
	}
	if err != nil {
		return fmt.Errorf("connect %s: %w", s.Addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return classify(err)
	}
	defer c.Close()
	hello := s.Hello
	if hello == "" {
		hello = "localhost"
	}
	if err := c.Hello(hello); err != nil {
		return classify(err)
	}
	if s.StartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("il server %s non offre STARTTLS", s.Addr)
		}
		if err := c.StartTLS(s.tlsConfig(host)); err != nil {
			return classify(err)
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return classify(err)
		}
	}
	if err := c.Mail(s.From); err != nil {
		return classify(err)
	}
	if err := c.Rcpt(n.Recipient); err != nil {
		return classify(err)
	}
	wc, err := c.Data()
	if err != nil {
		return classify(err)
	}
	if _, err := wc.Write(s.message(n)); err != nil {
		return classify(err)
	}
	if err := wc.Close(); err != nil { // the server's verdict on the message
		return classify(err)
	}
	c.Quit() // accepted: a failing QUIT changes nothing
	return nil
}

func (s *SMTP) tlsConfig(host string) *tls.Config {
	if s.TLSConfig != nil {
		return s.TLSConfig
	}
	return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
}

// message is the notice as an RFC 5322 message, UTF-8 in quoted-printable.
func (s *SMTP) message(n request.Notice) []byte {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", s.From)
	h("To", n.Recipient)
	h("Subject", mime.QEncoding.Encode("utf-8", n.Subject))
	h("Date", now().Format(time.RFC1123Z))
	h("Message-ID", "<"+n.ID+">")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	h("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(n.Body, "\n", "\r\n")))
	qp.Close()
	return b.Bytes()
}

// classify makes a 5xx answer permanent: the server refused the address or
// the message, and will again.
func classify(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return &PermanentError{err}
	}
	return err
}
