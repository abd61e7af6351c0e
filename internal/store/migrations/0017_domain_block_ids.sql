-- Domain blocks get an ID of their own, as the admin API names them by it.
ALTER TABLE instance_domain_blocks ADD COLUMN id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX instance_domain_blocks_id ON instance_domain_blocks (id);
