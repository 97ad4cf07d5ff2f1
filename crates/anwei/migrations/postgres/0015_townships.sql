-- Townships and the organisation tree at scale. A township (乡镇、街道) is a region of level
-- 'township' under its county, coded by its 12-digit 统计用区划代码 (the level was allowed
-- since 0001); no table changes. The tree lists the bodies by kind without reading every
-- enterprise: an index on (kind, region_id) answers "the organisations that are not
-- enterprises" (an IN list of kinds) and counts by region.
CREATE INDEX org_kind_region_idx ON org (kind, region_id);
