-- The balance of a right's restoration fund is restoration's (nrp.restoration.fund_entry_booked.v1);
-- the right shows the balance of the entry with the highest ledger sequence heard so far.
ALTER TABLE mining_rights ADD COLUMN fund_entry_seq bigint NOT NULL DEFAULT 0;
