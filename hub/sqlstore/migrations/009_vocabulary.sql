-- One vocabulary (docs/VOCABULARY.md): citizens, operators and the records
-- and facts of payments, which protocol 2 spelled in Italian, are
-- rewritten with the keys of protocol 3 wherever the hub keeps their JSON,
-- so that an existing hub serves the same data after the upgrade (and
-- workstations of protocol 2 get it back in their spelling from
-- hub/compat.go). The table of renamed keys is sync/wire's (v2.go), shape
-- by shape; here it is applied to whole documents, one statement per
-- kind, which is exact because json() writes them minified: a key is
-- '"name":' and a string value never holds an unescaped quote. Within one
-- kind an Italian key has one English name, but for "numero" in a cash
-- closing: a certificate's number (a string) and a total's count (a
-- number).

-- The anagrafe and the operators.
UPDATE citizens SET data = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(data),
		'"aggiornato":', '"updated_at":'),
		'"cap":', '"postcode":'),
		'"certificabilita":', '"certifiability":'),
		'"cittadinanza":', '"citizenship":'),
		'"civico":', '"house_number":'),
		'"cognome":', '"surname":'),
		'"data_cancellazione":', '"cancelled_on":'),
		'"data_iscrizione":', '"registered_on":'),
		'"data_nascita":', '"birth_date":'),
		'"documento":', '"document_number":'),
		'"id_famiglia":', '"family_id":'),
		'"indirizzo":', '"street":'),
		'"luogo_nascita":', '"birth_place_code":'),
		'"motivo_cancellazione":', '"cancel_reason":'),
		'"nome":', '"given_name":'),
		'"posizione":', '"status":'),
		'"relazione_parentela":', '"relationship":'),
		'"sesso":', '"sex":'),
		'"stato_civile":', '"civil_status":');

UPDATE operators SET data = replace(replace(replace(replace(json(data),
		'"aggiornato":', '"updated_at":'),
		'"attivo":', '"active":'),
		'"nome":', '"name":'),
		'"ruoli":', '"roles":');

-- The change log: citizens, operators and records as they were published.
UPDATE changes SET payload = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(payload),
		'"aggiornato":', '"updated_at":'),
		'"cap":', '"postcode":'),
		'"certificabilita":', '"certifiability":'),
		'"cittadinanza":', '"citizenship":'),
		'"civico":', '"house_number":'),
		'"cognome":', '"surname":'),
		'"data_cancellazione":', '"cancelled_on":'),
		'"data_iscrizione":', '"registered_on":'),
		'"data_nascita":', '"birth_date":'),
		'"documento":', '"document_number":'),
		'"id_famiglia":', '"family_id":'),
		'"indirizzo":', '"street":'),
		'"luogo_nascita":', '"birth_place_code":'),
		'"motivo_cancellazione":', '"cancel_reason":'),
		'"nome":', '"given_name":'),
		'"posizione":', '"status":'),
		'"relazione_parentela":', '"relationship":'),
		'"sesso":', '"sex":'),
		'"stato_civile":', '"civil_status":')
	WHERE kind = 'citizen';

UPDATE changes SET payload = replace(replace(replace(replace(json(payload),
		'"aggiornato":', '"updated_at":'),
		'"attivo":', '"active":'),
		'"nome":', '"name":'),
		'"ruoli":', '"roles":')
	WHERE kind = 'operator';

UPDATE changes SET payload = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(payload),
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

UPDATE changes SET payload = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(payload),
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

UPDATE changes SET payload = replace(replace(replace(replace(replace(replace(json(payload),
		'"codice":', '"code":'),
		'"conto_postale":', '"postal_account":'),
		'"denominazione":', '"name":'),
		'"dimostrativo":', '"demo":'),
		'"intestatario_conto":', '"postal_holder":'),
		'"ufficio":', '"office":')
	WHERE kind = 'payee';

UPDATE changes SET payload = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(payload),
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

-- The reference tables the change log publishes: protocol 2 sent them with
-- the Go names of anpr's fields as keys.
UPDATE changes SET payload = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(json(payload),
		'"Comuni":', '"comuni":'),
		'"States":', '"states":'),
		'"CertificateTypes":', '"certificate_types":'),
		'"BolloExemptions":', '"bollo_exemptions":'),
		'"Relationships":', '"relationships":'),
		'"CivilStatus":', '"civil_status":'),
		'"CitizenshipTypes":', '"citizenship_types":'),
		'"NonCertifiability":', '"non_certifiability":'),
		'"Code":', '"code":'),
		'"Istat":', '"istat":'),
		'"Name":', '"name":'),
		'"AltName":', '"alt_name":'),
		'"Province":', '"province":'),
		'"ValidFrom":', '"valid_from":'),
		'"ValidTo":', '"valid_to":'),
		'"Active":', '"active":'),
		'"NameEN":', '"name_en":'),
		'"ISO3":', '"iso3":'),
		'"Citizenship":', '"citizenship":'),
		'"Birth":', '"birth":'),
		'"Residence":', '"residence":'),
		'"ID":', '"id":'),
		'"Description":', '"description":'),
		'"Flag":', '"flag":'),
		'"Note":', '"note":')
	WHERE kind = 'reference';

-- The records.
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

UPDATE records SET data = replace(replace(replace(replace(replace(replace(json(data),
		'"codice":', '"code":'),
		'"conto_postale":', '"postal_account":'),
		'"denominazione":', '"name":'),
		'"dimostrativo":', '"demo":'),
		'"intestatario_conto":', '"postal_holder":'),
		'"ufficio":', '"office":')
	WHERE kind = 'payee';

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

-- The kiosk policies, in the change log and as records: a use's bollo
-- exemption is exemption_id, as in the verification answer.
UPDATE changes SET payload = replace(json(payload), '"exemption":', '"exemption_id":')
	WHERE kind = 'kiosk_policy';

UPDATE records SET data = replace(json(data), '"exemption":', '"exemption_id":')
	WHERE kind = 'kiosk_policy';

-- The answers kept for repeated operations.
UPDATE ops SET result = replace(replace(json(result),
		'"pagamento_doppio":', '"duplicate":'),
		'"rimborso":', '"refund":')
	WHERE kind = 'payment';

UPDATE ops SET result = replace(replace(replace(replace(json(result),
		'"codice":', '"code":'),
		'"postazione":', '"device":'),
		'"primo":', '"first":'),
		'"ultimo":', '"last":')
	WHERE kind = 'iuv_block';

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
