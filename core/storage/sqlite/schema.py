"""Versioned schema migrations for the embedded SQLite store (applied in order, each exactly once)."""

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE postings (
            job_id        TEXT PRIMARY KEY,
            day           TEXT,
            discovered_at TEXT,
            search_role   TEXT,
            is_demo       INTEGER NOT NULL DEFAULT 0,
            skills        TEXT NOT NULL DEFAULT '[]',
            content_hash  TEXT NOT NULL,
            doc           TEXT NOT NULL
        );
        CREATE INDEX postings_day ON postings(day);
        CREATE INDEX postings_discovered ON postings(discovered_at);
        CREATE INDEX postings_search_role ON postings(search_role, discovered_at);
        CREATE TABLE posting_roles (
            job_id   TEXT NOT NULL REFERENCES postings(job_id) ON DELETE CASCADE,
            role_key TEXT NOT NULL,
            day      TEXT,
            PRIMARY KEY (job_id, role_key)
        );
        CREATE INDEX posting_roles_role_day ON posting_roles(role_key, day);
        CREATE TABLE rollups (
            day  TEXT NOT NULL,
            role TEXT NOT NULL,
            doc  TEXT NOT NULL,
            PRIMARY KEY (role, day)
        );
        CREATE TABLE users (
            id            TEXT PRIMARY KEY,
            email         TEXT UNIQUE,
            telegram_id   INTEGER UNIQUE,
            digest_opt_in INTEGER NOT NULL DEFAULT 0,
            doc           TEXT NOT NULL
        );
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        INSERT INTO meta(key, value) VALUES ('data_version', '0');
        """,
    ),
    (
        2,
        """
        CREATE TABLE credentials (
            user_id       TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            updated_at    TEXT NOT NULL
        );
        CREATE TABLE link_codes (
            code_hash  TEXT PRIMARY KEY,
            user_id    TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at    TEXT
        );
        CREATE INDEX link_codes_user ON link_codes(user_id);
        CREATE INDEX link_codes_expires ON link_codes(expires_at);
        CREATE TABLE tokens (
            jti          TEXT PRIMARY KEY,
            user_id      TEXT NOT NULL,
            version      INTEGER NOT NULL,
            created_at   TEXT NOT NULL,
            expires_at   TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at   TEXT
        );
        CREATE INDEX tokens_user ON tokens(user_id, created_at);
        CREATE TABLE auth_attempts (
            id      INTEGER PRIMARY KEY AUTOINCREMENT,
            key     TEXT NOT NULL,
            user_id TEXT,
            at      TEXT NOT NULL
        );
        CREATE INDEX auth_attempts_key_at ON auth_attempts(key, at);
        CREATE INDEX auth_attempts_user ON auth_attempts(user_id)
        """,
    ),
    (
        3,
        # Skill names beside each role tag, so "unlocks" samples a role's postings from one index range
        # instead of joining 3,000 random rows of the postings table.
        """
        ALTER TABLE posting_roles ADD COLUMN skills TEXT NOT NULL DEFAULT '[]';
        UPDATE posting_roles SET skills = (SELECT p.skills FROM postings p WHERE p.job_id = posting_roles.job_id);
        CREATE INDEX posting_roles_role_day_skills ON posting_roles(role_key, day, skills)
        """,
    ),
    (
        4,
        # Scheduled work: finished runs, per-search ingestion watermarks, and `job:slot` leases.
        """
        CREATE TABLE job_runs (
            run_id      TEXT PRIMARY KEY,
            job         TEXT NOT NULL,
            slot        TEXT,
            status      TEXT NOT NULL,
            started_at  TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            summary     TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX job_runs_job_finished ON job_runs(job, finished_at);
        CREATE INDEX job_runs_finished ON job_runs(finished_at);
        CREATE INDEX job_runs_slot ON job_runs(slot);
        CREATE TABLE ingest_watermarks (
            search             TEXT PRIMARY KEY,
            discovered_through TEXT,
            bought_through     TEXT,
            bought_ids         TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE job_locks (
            key        TEXT PRIMARY KEY,
            owner      TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            done_at    TEXT
        );
        CREATE INDEX job_locks_expires ON job_locks(expires_at)
        """,
    ),
    (
        6,
        # The digest ledger: one row per (user, weekly period); see core.storage.digest_ports for the states.
        """
        CREATE TABLE digest_ledger (
            user_id         TEXT NOT NULL,
            period          TEXT NOT NULL,
            state           TEXT NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            owner           TEXT,
            claimed_at      TEXT,
            lease_until     TEXT,
            transmitting_at TEXT,
            message_id      INTEGER,
            coverage        TEXT,
            error           TEXT,
            retry           INTEGER NOT NULL DEFAULT 0,
            sent_at         TEXT,
            updated_at      TEXT NOT NULL,
            PRIMARY KEY (user_id, period)
        );
        CREATE INDEX digest_ledger_period_state ON digest_ledger(period, state);
        CREATE INDEX digest_ledger_user_sent ON digest_ledger(user_id, state, sent_at);
        CREATE INDEX digest_ledger_state_lease ON digest_ledger(state, lease_until)
        """,
    ),
]
