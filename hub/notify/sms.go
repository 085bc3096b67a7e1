package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/sportello/sportello/app/request"
)

// SMSGateway is an SMS provider. id is the notice's identity: gateways
// that take a client reference use it to drop a repeated submission.
type SMSGateway interface {
	SendSMS(ctx context.Context, to, text, id string) error
}

// SMS sends notices through a gateway.
type SMS struct{ Gateway SMSGateway }

// Send delivers one notice as an SMS.
func (s SMS) Send(ctx context.Context, n request.Notice) error {
	return s.Gateway.SendSMS(ctx, n.Recipient, n.Body, n.ID)
}

// HTTPGateway is the common shape of SMS providers' APIs: a JSON POST
// {"to", "text", "id"} with a bearer token. A 2xx answer is acceptance, a
// 4xx a permanent refusal, anything else is retried.
type HTTPGateway struct {
	URL    string
	Token  string
	Sender string // the alias the SMS shows
	Client *http.Client
}

// SendSMS posts one message.
func (g HTTPGateway) SendSMS(ctx context.Context, to, text, id string) error {
	body, _ := json.Marshal(map[string]string{"to": to, "text": text, "id": id, "sender": g.Sender})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return &PermanentError{err}
	}
	req.Header.Set("Content-Type", "application/json")
	if g.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.Token)
	}
	c := g.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	switch {
	case resp.StatusCode/100 == 2:
		return nil
	case resp.StatusCode/100 == 4:
		return &PermanentError{fmt.Errorf("gateway SMS: %s %s", resp.Status, msg)}
	}
	return fmt.Errorf("gateway SMS: %s %s", resp.Status, msg)
}
