-- Payments, continued (app/payment): instalments paid one by one, and the
-- codici avviso of the instalments found by the scanner.

-- The rata a payment taken here pays; 0 for the rata unica.
ALTER TABLE payments ADD COLUMN instalment INTEGER NOT NULL DEFAULT 0;

-- The codice avviso of each instalment of the hub's positions (the rata
-- unica's is indexed on the record itself), kept by triggers as records
-- come and go: the JSON array cannot be indexed.
CREATE TABLE instalment_avvisi (
	avviso      TEXT PRIMARY KEY,
	position_id TEXT NOT NULL,
	n           INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX instalment_avvisi_position ON instalment_avvisi (position_id);

CREATE TRIGGER records_instalments_insert AFTER INSERT ON records WHEN NEW.kind = 'position' BEGIN
	INSERT OR REPLACE INTO instalment_avvisi (avviso, position_id, n)
		SELECT json_extract(value, '$.codice_avviso'), NEW.key, json_extract(value, '$.n')
		FROM json_each(NEW.data, '$.rate');
END;

CREATE TRIGGER records_instalments_update AFTER UPDATE OF data ON records WHEN NEW.kind = 'position' BEGIN
	DELETE FROM instalment_avvisi WHERE position_id = OLD.key;
	INSERT OR REPLACE INTO instalment_avvisi (avviso, position_id, n)
		SELECT json_extract(value, '$.codice_avviso'), NEW.key, json_extract(value, '$.n')
		FROM json_each(NEW.data, '$.rate');
END;

CREATE TRIGGER records_instalments_delete AFTER DELETE ON records WHEN OLD.kind = 'position' BEGIN
	DELETE FROM instalment_avvisi WHERE position_id = OLD.key;
END;

INSERT OR REPLACE INTO instalment_avvisi (avviso, position_id, n)
	SELECT json_extract(j.value, '$.codice_avviso'), r.key, json_extract(j.value, '$.n')
	FROM records r, json_each(r.data, '$.rate') j WHERE r.kind = 'position';
