-- The source database of docker-compose.yml: the chat application's tables and a few rows.
CREATE TABLE users (
  id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, display_name text,
  created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE conversations (
  id bigserial PRIMARY KEY, title text NOT NULL, created_by bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE messages (
  id bigserial PRIMARY KEY, conversation_id bigint NOT NULL, sender_id bigint NOT NULL, body text NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(), deleted_at timestamptz);

INSERT INTO users (email, display_name)
  SELECT 'user' || g || '@example.com', CASE WHEN g % 4 = 0 THEN NULL ELSE 'User ' || g END FROM generate_series(1, 200) g;
INSERT INTO conversations (title, created_by) SELECT 'Conversation ' || g, 1 + g % 200 FROM generate_series(1, 50) g;
INSERT INTO messages (conversation_id, sender_id, body)
  SELECT 1 + g % 50, 1 + g % 200, 'Message ' || g FROM generate_series(1, 1000) g;
