package sync

import (
	"context"
	"fmt"
	"net/http"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// AttachmentSource is implemented by a store whose operations carry files
// (the requests' attachments): their contents go to the hub by themselves,
// before the operations that name them, so that a push stays small.
type AttachmentSource interface {
	OpAttachments(ctx context.Context, op app.Operation) ([]request.FileContent, error)
}

// uploadAttachments sends the files of the operations about to be pushed.
// The hub stores a file by its hash, so sending one again after a failed
// push is harmless.
func (c *Client) uploadAttachments(ctx context.Context, p *app.Profile, ops []app.Operation) error {
	src, ok := c.store.(AttachmentSource)
	if !ok {
		return nil
	}
	for _, op := range ops {
		files, err := src.OpAttachments(ctx, op)
		if err != nil {
			return fmt.Errorf("attachments of %s: %w", op.ID, err)
		}
		for _, f := range files {
			c.update(func(s *app.SyncStatus) { s.Phase = "invio allegati" })
			if err := c.do(ctx, p.HubURL, p.Token, http.MethodPut, "/v1/attachments/"+f.SHA256, nil, f.Data, nil); err != nil {
				return fmt.Errorf("upload attachment %s: %w", f.SHA256, err)
			}
		}
	}
	return nil
}
