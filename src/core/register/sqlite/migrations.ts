// Schema migrations of the embedded register, applied in order; PRAGMA user_version records the last one.
// Never edit a released migration: add the next one.
export const MIGRATIONS: string[] = [
  // 1: audit chain, holds, purge runs with their write-ahead deletion records, storage state.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_action ON audit(action);
  CREATE TABLE holds (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    case_ref TEXT NOT NULL,
    reason TEXT NOT NULL,
    range_from INTEGER NOT NULL,
    range_to INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    released_at TEXT,
    released_by TEXT,
    release_reason TEXT
  );
  CREATE TABLE hold_cameras (
    hold_id TEXT NOT NULL REFERENCES holds(id),
    camera TEXT NOT NULL,
    PRIMARY KEY (hold_id, camera)
  );
  CREATE TABLE purge_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    now_ms INTEGER NOT NULL,
    status TEXT NOT NULL,
    actor TEXT NOT NULL,
    pid INTEGER NOT NULL,
    options TEXT NOT NULL,
    summary TEXT
  );
  CREATE TABLE purge_batches (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES purge_runs(id),
    storage TEXT NOT NULL,
    dir TEXT NOT NULL,
    camera TEXT NOT NULL,
    names TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    first_start INTEGER NOT NULL,
    last_end INTEGER NOT NULL,
    state TEXT NOT NULL,
    done_at TEXT
  );
  CREATE INDEX purge_batches_run ON purge_batches(run_id, id);
  CREATE INDEX purge_batches_dir ON purge_batches(storage, dir);
  CREATE TABLE storage_state (
    storage TEXT PRIMARY KEY,
    files INTEGER NOT NULL,
    seen_at TEXT NOT NULL,
    run_id INTEGER NOT NULL
  );
  INSERT INTO meta (key, value) VALUES ('holds_version', '0'), ('audit_head_seq', '0'), ('audit_head_hash', '${'0'.repeat(64)}');
  `,
  // 2: document versions (reglement, protocol, sign, letter, dpia): the inputs of each version and its rendered texts.
  `
  CREATE TABLE document_versions (
    id INTEGER PRIMARY KEY,
    document TEXT NOT NULL,
    version INTEGER NOT NULL,
    inputs_hash TEXT NOT NULL,
    inputs TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (document, version)
  );
  CREATE TABLE document_texts (
    version_id INTEGER NOT NULL REFERENCES document_versions(id),
    lang TEXT NOT NULL,
    markdown TEXT NOT NULL,
    PRIMARY KEY (version_id, lang)
  );
  CREATE TABLE document_renders (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES document_versions(id),
    lang TEXT NOT NULL,
    format TEXT NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rendered_at TEXT NOT NULL,
    rendered_by TEXT NOT NULL
  );
  CREATE INDEX document_renders_version ON document_renders(version_id);
  `,
  // 3: evidence exports (footage export): every package with its lifetime, and the run that made it.
  `
  CREATE TABLE exports (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    case_ref TEXT,
    reason TEXT,
    cameras TEXT NOT NULL,
    range_from INTEGER NOT NULL,
    range_to INTEGER NOT NULL,
    out_dir TEXT NOT NULL,
    package_dir TEXT NOT NULL,
    work_dir TEXT NOT NULL,
    encrypted INTEGER NOT NULL DEFAULT 0,
    manifest_sha256 TEXT,
    bytes INTEGER,
    keep_until INTEGER,
    hold_id TEXT,
    finished_at TEXT,
    purged_at TEXT,
    note TEXT
  );
  CREATE INDEX exports_status ON exports(status);
  `,
  // 4: data-subject requests (rights request): each request with its deadline, state and outcome, and the audit
  // entries of its history.
  `
  CREATE TABLE rights_requests (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    state TEXT NOT NULL,
    requester TEXT NOT NULL,
    relation TEXT NOT NULL,
    subject TEXT NOT NULL,
    subject_birthdate TEXT,
    cameras TEXT NOT NULL,
    range_from INTEGER,
    range_to INTEGER,
    description TEXT,
    received_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    extended_due_on TEXT,
    extension_reason TEXT,
    extended_at TEXT,
    hold_id TEXT,
    restriction_hold_id TEXT,
    identity_method TEXT,
    identity_checked_at TEXT,
    identity_checked_by TEXT,
    fulfilment TEXT,
    fulfilled_at TEXT,
    outcome TEXT,
    outcome_reason TEXT,
    answered_at TEXT,
    closed_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
  );
  CREATE INDEX rights_requests_received ON rights_requests(received_on);
  CREATE TABLE rights_events (
    request_id TEXT NOT NULL REFERENCES rights_requests(id),
    audit_seq INTEGER NOT NULL,
    PRIMARY KEY (request_id, audit_seq)
  );
  CREATE INDEX purge_batches_camera ON purge_batches(camera, first_start);
  `,
  // 5: S3 Object Lock legal holds placed (or found) for a hold, per object version, so that releasing the hold lifts
  // exactly the ones it placed.
  `
  CREATE TABLE object_legal_holds (
    hold_id TEXT NOT NULL REFERENCES holds(id),
    storage TEXT NOT NULL,
    rel_path TEXT NOT NULL,
    version_id TEXT NOT NULL,
    placed INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    lifted_at TEXT,
    PRIMARY KEY (hold_id, storage, rel_path, version_id)
  );
  CREATE INDEX object_legal_holds_version ON object_legal_holds(storage, rel_path, version_id);
  `,
  // 6: the register's identity: a random id, made once, that every storage this register purges records in its
  // marker, so that a purge never runs with a register other than the one that holds the storage's holds.
  `
  INSERT INTO meta (key, value) VALUES ('register_id', lower(hex(randomblob(16)))) ON CONFLICT (key) DO NOTHING;
  `,
];
