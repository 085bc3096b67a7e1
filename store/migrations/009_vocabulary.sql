-- One vocabulary (docs/VOCABULARY.md): the records and facts of payments,
-- which protocol 2 spelled in Italian, are rewritten with the keys of
-- protocol 3, so that a profile made by an earlier version reads the same
-- after the upgrade and its unsent facts leave in the new spelling. The
-- table of renamed keys is sync/wire's (v2.go), shape by shape; here it is
-- applied to whole documents, one statement per kind, which is exact
-- because json() writes them minified: a key is '"name":' and a string
-- value never holds an unescaped quote. Within one kind an Italian key has
-- one English name, but for "numero" in a cash closing: a certificate's
-- number (a string) and a total's count (a number).

-- What looked inside the old spelling: the instalments' triggers and the
-- index of fines by plate.
DROP TRIGGER records_instalments_insert;
DROP TRIGGER records_instalments_update;
DROP INDEX records_fine_plate;

-- The hub's position records.
UPDATE records SET data = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(data),
		'"canale":', '"channel":'),
		'"creata_da":', '"created_by":'),
		'"creata_il":', '"created_at":'),
		'"debitore":', '"debtor":'),
		'"debitore_cf":', '"debtor_codice_fiscale":'),
		'"eccedenza_centesimi":', '"excess_cents":'),
		'"il":', '"at":'),
		'"importo_centesimi":', '"amount_cents":'),
		'"modalita":', '"method":'),
		'"numero":', '"number":'),
		'"operatore":', '"operator":'),
		'"postazione":', '"device":'),
		'"pubblicata":', '"published":'),
		'"rata":', '"instalment":'),
		'"rate":', '"instalments":'),
		'"ricevute":', '"receipts":'),
		'"rimborsato_centesimi":', '"refunded_cents":'),
		'"scadenza":', '"due_date":'),
		'"servizio":', '"service":'),
		'"stato":', '"state":'),
		'"verbale":', '"fine":')
	WHERE kind = 'position';

-- The hub's fine records.
UPDATE records SET data = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(data),
		'"accertata_il":', '"violated_at":'),
		'"massimo_centesimi":', '"max_cents":'),
		'"minimo_centesimi":', '"min_cents":'),
		'"norma":', '"article":'),
		'"notificata_il":', '"notified_on":'),
		'"numero":', '"number":'),
		'"posizione":', '"position_id":'),
		'"riduzione_ammessa":', '"discount_allowed":'),
		'"spese_centesimi":', '"costs_cents":'),
		'"targa":', '"plate":'),
		'"trasgressore":', '"offender":'),
		'"trasgressore_cf":', '"offender_codice_fiscale":'),
		'"violazione":', '"offence":')
	WHERE kind = 'fine';

-- The hub's payee records.
UPDATE records SET data = replace(replace(replace(replace(replace(replace(json(data),
		'"codice":', '"code":'),
		'"conto_postale":', '"postal_account":'),
		'"denominazione":', '"name":'),
		'"dimostrativo":', '"demo":'),
		'"intestatario_conto":', '"postal_holder":'),
		'"ufficio":', '"office":')
	WHERE kind = 'payee';

-- The hub's refund records.
UPDATE records SET data = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(data),
		'"aperto_il":', '"opened_at":'),
		'"canale":', '"channel":'),
		'"debitore":', '"debtor":'),
		'"debitore_cf":', '"debtor_codice_fiscale":'),
		'"dovuto_centesimi":', '"due_cents":'),
		'"eccedenza_centesimi":', '"excess_cents":'),
		'"eseguito":', '"done":'),
		'"eseguito_il":', '"done_on":'),
		'"il":', '"at":'),
		'"importo_centesimi":', '"amount_cents":'),
		'"modalita":', '"method":'),
		'"nota":', '"note":'),
		'"numero":', '"number":'),
		'"operatore":', '"operator":'),
		'"pagato_centesimi":', '"paid_cents":'),
		'"posizione":', '"position_id":'),
		'"postazione":', '"device":'),
		'"rata":', '"instalment":'),
		'"ricevute":', '"receipts":'),
		'"rimborsato_centesimi":', '"refunded_cents":'),
		'"rimborso":', '"refund":'),
		'"stato":', '"state":')
	WHERE kind = 'refund';

-- The kiosk policies: a use's bollo exemption is exemption_id, as in the
-- verification answer.
UPDATE records SET data = replace(json(data), '"exemption":', '"exemption_id":')
	WHERE kind = 'kiosk_policy';

-- Facts of kind payment in the outbox, sent or not.
UPDATE outbox SET data = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(data),
		'"debitore":', '"debtor":'),
		'"debitore_cf":', '"debtor_codice_fiscale":'),
		'"fase_verbale":', '"fine_stage":'),
		'"giornata":', '"day":'),
		'"il":', '"at":'),
		'"importo_centesimi":', '"amount_cents":'),
		'"modalita":', '"method":'),
		'"operatore":', '"operator":'),
		'"posizione":', '"position_id":'),
		'"postazione":', '"device":'),
		'"rata":', '"instalment":'),
		'"ricevuta":', '"receipt":'),
		'"servizio":', '"service":'),
		'"verbale":', '"fine":')
	WHERE kind = 'payment' AND data IS NOT NULL;

-- Facts of kind position in the outbox, sent or not.
UPDATE outbox SET data = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(data),
		'"canale":', '"channel":'),
		'"creata_da":', '"created_by":'),
		'"creata_il":', '"created_at":'),
		'"debitore":', '"debtor":'),
		'"debitore_cf":', '"debtor_codice_fiscale":'),
		'"eccedenza_centesimi":', '"excess_cents":'),
		'"il":', '"at":'),
		'"importo_centesimi":', '"amount_cents":'),
		'"modalita":', '"method":'),
		'"numero":', '"number":'),
		'"operatore":', '"operator":'),
		'"postazione":', '"device":'),
		'"pubblicata":', '"published":'),
		'"rata":', '"instalment":'),
		'"rate":', '"instalments":'),
		'"ricevute":', '"receipts":'),
		'"rimborsato_centesimi":', '"refunded_cents":'),
		'"scadenza":', '"due_date":'),
		'"servizio":', '"service":'),
		'"stato":', '"state":'),
		'"verbale":', '"fine":')
	WHERE kind = 'position' AND data IS NOT NULL;

-- Facts of kind iuv_block in the outbox, sent or not.
UPDATE outbox SET data = replace(json(data),
		'"postazione":', '"device":')
	WHERE kind = 'iuv_block' AND data IS NOT NULL;

-- Facts of kind cash_closing in the outbox, sent or not.
UPDATE outbox SET data = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(data),
		'"bollo_centesimi":', '"bollo_cents":'),
		'"centesimi":', '"cents":'),
		'"certificati":', '"certificates":'),
		'"chiave":', '"key":'),
		'"chiave_pubblica":', '"public_key":'),
		'"chiusa_il":', '"closed_at":'),
		'"debitore":', '"debtor":'),
		'"debitore_cf":', '"debtor_codice_fiscale":'),
		'"diritti_centesimi":', '"diritti_cents":'),
		'"fase_verbale":', '"fine_stage":'),
		'"firma":', '"signature":'),
		'"giornata":', '"day":'),
		'"il":', '"at":'),
		'"importo_centesimi":', '"amount_cents":'),
		'"modalita":', '"method":'),
		'"nome":', '"name":'),
		'"nome_operatore":', '"operator_name":'),
		'"numero":"', '"number":"'),
		'"numero":', '"count":'),
		'"operatore":', '"operator":'),
		'"pagamenti":', '"payments":'),
		'"per_modalita":', '"by_method":'),
		'"per_servizio":', '"by_service":'),
		'"posizione":', '"position_id":'),
		'"postazione":', '"device":'),
		'"rata":', '"instalment":'),
		'"ricevuta":', '"receipt":'),
		'"rilasciato_il":', '"issued_at":'),
		'"servizio":', '"service":'),
		'"tipo":', '"type":'),
		'"totale_centesimi":', '"total_cents":'),
		'"verbale":', '"fine":')
	WHERE kind = 'cash_closing' AND data IS NOT NULL;

-- Facts of kind refund_done in the outbox, sent or not.
UPDATE outbox SET data = replace(replace(replace(replace(replace(replace(replace(json(data),
		'"eseguito_il":', '"done_on":'),
		'"il":', '"at":'),
		'"modalita":', '"method":'),
		'"nota":', '"note":'),
		'"operatore":', '"operator":'),
		'"postazione":', '"device":'),
		'"rimborso":', '"refund":')
	WHERE kind = 'refund_done' AND data IS NOT NULL;

-- Requests' status changes in the outbox: the version they expect is
-- expect_version, as in the queue's facts.
UPDATE outbox SET data = replace(json(data), '"expected_version":', '"expect_version":')
	WHERE kind = 'request_status' AND data IS NOT NULL;

-- Positions numbered here.
UPDATE local_positions SET data = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(data),
		'"canale":', '"channel":'),
		'"creata_da":', '"created_by":'),
		'"creata_il":', '"created_at":'),
		'"debitore":', '"debtor":'),
		'"debitore_cf":', '"debtor_codice_fiscale":'),
		'"eccedenza_centesimi":', '"excess_cents":'),
		'"il":', '"at":'),
		'"importo_centesimi":', '"amount_cents":'),
		'"modalita":', '"method":'),
		'"numero":', '"number":'),
		'"operatore":', '"operator":'),
		'"postazione":', '"device":'),
		'"pubblicata":', '"published":'),
		'"rata":', '"instalment":'),
		'"rate":', '"instalments":'),
		'"ricevute":', '"receipts":'),
		'"rimborsato_centesimi":', '"refunded_cents":'),
		'"scadenza":', '"due_date":'),
		'"servizio":', '"service":'),
		'"stato":', '"state":'),
		'"verbale":', '"fine":');

-- Payments taken here.
UPDATE payments SET data = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(data),
		'"debitore":', '"debtor":'),
		'"debitore_cf":', '"debtor_codice_fiscale":'),
		'"fase_verbale":', '"fine_stage":'),
		'"giornata":', '"day":'),
		'"il":', '"at":'),
		'"importo_centesimi":', '"amount_cents":'),
		'"modalita":', '"method":'),
		'"operatore":', '"operator":'),
		'"posizione":', '"position_id":'),
		'"postazione":', '"device":'),
		'"rata":', '"instalment":'),
		'"ricevuta":', '"receipt":'),
		'"servizio":', '"service":'),
		'"verbale":', '"fine":');

-- Closed days. Their signature covers the old spelling: the hub checks it
-- in either (payment.Closing.Verify).
UPDATE cash_closings SET data = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(data),
		'"bollo_centesimi":', '"bollo_cents":'),
		'"centesimi":', '"cents":'),
		'"certificati":', '"certificates":'),
		'"chiave":', '"key":'),
		'"chiave_pubblica":', '"public_key":'),
		'"chiusa_il":', '"closed_at":'),
		'"debitore":', '"debtor":'),
		'"debitore_cf":', '"debtor_codice_fiscale":'),
		'"diritti_centesimi":', '"diritti_cents":'),
		'"fase_verbale":', '"fine_stage":'),
		'"firma":', '"signature":'),
		'"giornata":', '"day":'),
		'"il":', '"at":'),
		'"importo_centesimi":', '"amount_cents":'),
		'"modalita":', '"method":'),
		'"nome":', '"name":'),
		'"nome_operatore":', '"operator_name":'),
		'"numero":"', '"number":"'),
		'"numero":', '"count":'),
		'"operatore":', '"operator":'),
		'"pagamenti":', '"payments":'),
		'"per_modalita":', '"by_method":'),
		'"per_servizio":', '"by_service":'),
		'"posizione":', '"position_id":'),
		'"postazione":', '"device":'),
		'"rata":', '"instalment":'),
		'"ricevuta":', '"receipt":'),
		'"rilasciato_il":', '"issued_at":'),
		'"servizio":', '"service":'),
		'"tipo":', '"type":'),
		'"totale_centesimi":', '"total_cents":'),
		'"verbale":', '"fine":');

CREATE INDEX records_fine_plate ON records (json_extract(data, '$.plate')) WHERE kind = 'fine';

CREATE TRIGGER records_instalments_insert AFTER INSERT ON records WHEN NEW.kind = 'position' BEGIN
	INSERT OR REPLACE INTO instalment_avvisi (avviso, position_id, n)
		SELECT json_extract(value, '$.codice_avviso'), NEW.key, json_extract(value, '$.n')
		FROM json_each(NEW.data, '$.instalments');
END;

CREATE TRIGGER records_instalments_update AFTER UPDATE OF data ON records WHEN NEW.kind = 'position' BEGIN
	DELETE FROM instalment_avvisi WHERE position_id = OLD.key;
	INSERT OR REPLACE INTO instalment_avvisi (avviso, position_id, n)
		SELECT json_extract(value, '$.codice_avviso'), NEW.key, json_extract(value, '$.n')
		FROM json_each(NEW.data, '$.instalments');
END;
