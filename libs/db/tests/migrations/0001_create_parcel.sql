CREATE TABLE parcel (
  id text PRIMARY KEY,
  area_m2 double precision NOT NULL CHECK (area_m2 > 0)
);
