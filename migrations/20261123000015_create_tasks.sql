CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    contact_id TEXT REFERENCES contacts (id),
    deal_id TEXT REFERENCES deals (id),
    assignee_id TEXT NOT NULL REFERENCES users (id),
    due_at BIGINT NOT NULL,
    done BIGINT NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    done_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX tasks_assignee_due ON tasks (assignee_id, done, due_at);
CREATE INDEX tasks_version ON tasks (version);
