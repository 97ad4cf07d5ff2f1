-- The submit-and-review core (issue 9, item 4): what an organisation submitted about a
-- subject of some capability (a supervision assignment's report, a deliverable requirement's
-- delivery; next a hazard's rectification and a public report's handling), its evidence
-- files, and the decision on it. Each capability keeps its own state machine; the core keeps
-- the submissions, the files and the history, and the rule that a reviewer is never the
-- submitter.
CREATE TABLE submission (
    id              INTEGER PRIMARY KEY,
    subject_kind    TEXT NOT NULL,
    subject_id      BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL,
    late            BOOLEAN NOT NULL DEFAULT FALSE,
    submitted_at    BIGINT NOT NULL,
    submitted_by    BIGINT NOT NULL,
    decision        TEXT,
    review_comment  TEXT NOT NULL DEFAULT '',
    reviewed_at     BIGINT,
    reviewed_by     BIGINT,
    CONSTRAINT submission_submitter_fk FOREIGN KEY (submitted_by) REFERENCES account (id),
    CONSTRAINT submission_reviewer_fk FOREIGN KEY (reviewed_by) REFERENCES account (id),
    CONSTRAINT submission_decision_ck CHECK (decision IS NULL OR decision IN ('accepted', 'returned')),
    CONSTRAINT submission_decided_ck CHECK ((decision IS NULL) = (reviewed_at IS NULL)),
    CONSTRAINT submission_not_self_ck CHECK (reviewed_by IS NULL OR reviewed_by <> submitted_by)
);
-- The history of a subject, and the ledger's counts of its accepted reports by kind.
CREATE INDEX submission_subject_idx ON submission (subject_kind, subject_id, kind, decision);
-- At most one submission per subject waits for a decision.
CREATE UNIQUE INDEX submission_waiting_uq ON submission (subject_kind, subject_id) WHERE decision IS NULL;

CREATE TABLE submission_file (
    submission_id   BIGINT NOT NULL,
    attachment_id   BIGINT NOT NULL,
    CONSTRAINT submission_file_pk PRIMARY KEY (submission_id, attachment_id),
    CONSTRAINT submission_file_submission_fk FOREIGN KEY (submission_id) REFERENCES submission (id),
    CONSTRAINT submission_file_attachment_fk FOREIGN KEY (attachment_id) REFERENCES attachment (id)
);

-- Supervision reports keep their ids (assignment_event.report_id points at them); deliverable
-- submissions are numbered after them.
INSERT INTO submission (id, subject_kind, subject_id, kind, body, late, submitted_at, submitted_by,
                        decision, review_comment, reviewed_at, reviewed_by)
SELECT id, 'assignment', assignment_id, kind, text, FALSE, submitted_at, submitted_by,
       decision, review_comment, reviewed_at, reviewed_by
  FROM assignment_report;
INSERT INTO submission_file (submission_id, attachment_id)
SELECT report_id, attachment_id FROM report_attachment;

INSERT INTO submission (id, subject_kind, subject_id, kind, body, late, submitted_at, submitted_by,
                        decision, review_comment, reviewed_at, reviewed_by)
SELECT s.id + (SELECT COALESCE(MAX(id), 0) FROM assignment_report), 'deliverable_requirement',
       s.requirement_id, 'delivery', s.note, s.late, s.submitted_at, s.submitted_by,
       s.decision, s.review_comment, s.reviewed_at, s.reviewed_by
  FROM deliverable_submission s;
INSERT INTO submission_file (submission_id, attachment_id)
SELECT sa.submission_id + (SELECT COALESCE(MAX(id), 0) FROM assignment_report), sa.attachment_id
  FROM submission_attachment sa;

DROP TABLE report_attachment;
DROP TABLE assignment_report;
DROP TABLE submission_attachment;
DROP TABLE deliverable_submission;
