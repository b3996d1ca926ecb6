-- The target database of docker-compose.yml: the shapes deploy/compose/turnout.yaml maps the source tables to.
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text);
CREATE TABLE conversations (
  id bigint PRIMARY KEY, title text NOT NULL, created_by bigint NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE messages (
  id bigint PRIMARY KEY, conversation_id bigint NOT NULL, sender_id bigint NOT NULL, body text NOT NULL,
  sent_at timestamptz NOT NULL, deleted_at timestamptz);
