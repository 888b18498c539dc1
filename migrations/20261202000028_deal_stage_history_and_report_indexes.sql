-- Every stage a deal enters, with when it entered the stage it left: conversion between stages
-- and time in stage are read from here. Deals already there start with the stage they are in.
CREATE TABLE deal_stage_history (
    id TEXT PRIMARY KEY,
    deal_id TEXT NOT NULL REFERENCES deals (id),
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    at BIGINT NOT NULL,
    from_entered_at BIGINT,
    by_user_id TEXT REFERENCES users (id)
);
CREATE INDEX deal_stage_history_at ON deal_stage_history (at);
CREATE INDEX deal_stage_history_deal ON deal_stage_history (deal_id, at);
INSERT INTO deal_stage_history (id, deal_id, from_stage, to_stage, at, from_entered_at, by_user_id)
    SELECT 'start-' || id, id, NULL, stage, stage_changed_at, NULL, NULL FROM deals;
-- Reports count what happened in a period: new contacts per owner, visits, answers, calls.
CREATE INDEX contacts_owner_created ON contacts (owner_id, created_at);
CREATE INDEX contacts_created ON contacts (created_at);
CREATE INDEX visits_check_in ON visits (check_in_at);
CREATE INDEX feedback_answered ON feedback (answered_at);
CREATE INDEX activities_kind_author_at ON activities (kind, author_id, occurred_at);
