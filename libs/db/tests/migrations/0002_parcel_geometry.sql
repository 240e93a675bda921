ALTER TABLE parcel ADD COLUMN boundary geometry(MultiPolygon, 4490);
CREATE INDEX parcel_boundary_gist ON parcel USING gist (boundary);
