-- Payments, continued (app/payment): instalments paid one by one, and
-- codici avviso unique per comune, not across the network: two comuni
-- with the same segregation code number the same avvisi, told apart by
-- the creditor's codice fiscale.

ALTER TABLE payments ADD COLUMN instalment INTEGER NOT NULL DEFAULT 0; -- the rata paid; 0 for the rata unica

CREATE TABLE position_avvisi_new (
	avviso      TEXT NOT NULL,
	comune      TEXT NOT NULL,
	position_id TEXT NOT NULL,
	PRIMARY KEY (avviso, comune)
);
INSERT INTO position_avvisi_new (avviso, comune, position_id) SELECT avviso, comune, position_id FROM position_avvisi;
DROP TABLE position_avvisi;
ALTER TABLE position_avvisi_new RENAME TO position_avvisi;
