CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    contact_id TEXT REFERENCES contacts (id),
    deal_id TEXT REFERENCES deals (id),
    assignee_id TEXT NOT NULL REFERENCES users (id),
    due_at BIGINT NOT NULL,
    done BOOLEAN NOT NULL DEFAULT FALSE,
    done_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX tasks_assignee_due ON tasks (assignee_id, done, due_at);
CREATE INDEX tasks_version ON tasks (version);
