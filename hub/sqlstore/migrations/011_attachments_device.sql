-- The bytes of attachments each device has uploaded, summed for its quota
-- (PutAttachment) at every upload.
CREATE INDEX attachments_device ON attachments (device);
