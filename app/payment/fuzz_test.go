package payment_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/sportello/sportello/app/payment"
)

// FuzzDecodeFacts feeds the decoders of what workstations send the hub
// (payments, repayments) and the hub sends them (positions) arbitrary
// bytes: they never panic, and what they accept encodes back to JSON that
// decodes to the same.
func FuzzDecodeFacts(f *testing.F) {
	f.Add([]byte(`{"receipt":"I690-W001-2026-R000001","position_id":"P1","codice_avviso":"301000000000000111","instalment":2,"amount_cents":11925,"method":"contanti","operator":"demo","device":"I690-W001","at":"2026-11-23T08:30:00Z","day":"2026-11-23","service":"tari","causale":"TARI","debtor_codice_fiscale":"RSSMRA80A01F205X","debtor":"ROSSI"}`))
	f.Add([]byte(`{"refund":"RT-1","comune":"I690","method":"bonifico","done_on":"2026-11-23","note":"CRO 1","operator":"sup","device":"I690-W001","at":"2026-11-23T08:30:00Z"}`))
	f.Add([]byte(`{"id":"P1","comune":"I690","debtor_codice_fiscale":"RSSMRA80A01F205X","debtor":"ROSSI","service":"tari","causale":"TARI","amount_cents":200,"due_date":"2026-12-16","codice_avviso":"301000000000000111","instalments":[{"n":1,"codice_avviso":"301000000000000208","amount_cents":100,"due_date":"2026-11-16","state":"pagato"}],"state":"da_pagare","published":true,"created_at":"2026-11-01T00:00:00Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := payment.DecodePayment(b); err == nil {
			back, err := payment.DecodePayment(payment.EncodePayment(p))
			if err != nil || !bytes.Equal(payment.EncodePayment(back), payment.EncodePayment(p)) {
				t.Fatalf("payment does not round-trip: %v", err)
			}
		}
		if r, err := payment.DecodeRepayment(b); err == nil {
			back, err := payment.DecodeRepayment(payment.EncodeRepayment(r))
			if err != nil || !bytes.Equal(payment.EncodeRepayment(back), payment.EncodeRepayment(r)) {
				t.Fatalf("repayment does not round-trip: %v", err)
			}
		}
		if p, err := payment.DecodePosition(b); err == nil {
			back, err := payment.DecodePosition(payment.EncodePosition(p))
			if err != nil || !bytes.Equal(payment.EncodePosition(back), payment.EncodePosition(p)) {
				t.Fatalf("position does not round-trip: %v", err)
			}
		}
	})
}

// FuzzApply applies arbitrary sequences of receipts (a byte each: which
// rata, whether refunded after) to a position in instalments: the position
// stays valid, its net paid is never negative, an excess is always what a
// refund opened, and a position without excess is not paid twice.
func FuzzApply(f *testing.F) {
	f.Add([]byte{1, 2})
	f.Add([]byte{1, 1, 0x81})
	f.Add([]byte{0, 2, 0x80, 0})
	f.Fuzz(func(t *testing.T, seq []byte) {
		if len(seq) > 12 {
			return
		}
		p := tari(t)
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		var open []*payment.Refund
		for i, b := range seq {
			n := int(b&0x7f) % 3
			tg, _ := p.Target(n)
			a, err := p.Apply(payment.Receipt{Number: string(rune('A' + i)), AmountCents: tg.AmountCents, At: now, Instalment: n}, now)
			if err != nil {
				t.Fatal(err)
			}
			if a.Refund != nil {
				open = append(open, a.Refund)
			}
			if b&0x80 != 0 && len(open) > 0 { // the oldest open refund is done
				rf := open[0]
				open = open[1:]
				if err := p.Refund(rf.ID, rf.ExcessCents); err != nil {
					t.Fatalf("refund %s of %d: %v", rf.ID, rf.ExcessCents, err)
				}
			}
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			_, paid, excess := p.Covered()
			if paid < 0 || excess < 0 {
				t.Fatalf("paid %d, excess %d", paid, excess)
			}
			var owed int64
			for _, rf := range open {
				owed += rf.ExcessCents
			}
			if excess != owed {
				t.Fatalf("excess %d, open refunds %d after %v", excess, owed, seq[:i+1])
			}
			if (excess > 0) != (p.State == payment.StateDuplicate) {
				t.Fatalf("state %s with excess %d", p.State, excess)
			}
		}
	})
}
