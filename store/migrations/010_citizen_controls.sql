-- What ANPR's issuing controls read of a person (app.Citizen): why the
-- citizenship is unknown (ANPR 997/998, or absent), further citizenships,
-- an open administrative procedure, senza fissa dimora.
ALTER TABLE citizens ADD COLUMN citizenship_status TEXT NOT NULL DEFAULT '';
ALTER TABLE citizens ADD COLUMN other_citizenships TEXT NOT NULL DEFAULT '';
ALTER TABLE citizens ADD COLUMN open_procedure INTEGER NOT NULL DEFAULT 0;
ALTER TABLE citizens ADD COLUMN no_fixed_abode INTEGER NOT NULL DEFAULT 0;
