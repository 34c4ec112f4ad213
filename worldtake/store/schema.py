"""Tables of the worldtake store, as SQLAlchemy Core metadata shared by every backend."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

migrations = Table(
    "migrations",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False, unique=True),
    Column("home_url", Text),
    Column("feed_url", Text, unique=True),
    Column("country", String(8)),
    Column("languages", JSON),
    Column("category", String(40)),
    Column("state_media", Boolean, nullable=False, default=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_success", String(40)),
    Column("last_error", Text),
    Column("error_count", Integer, nullable=False, default=0),
    Column("next_check", String(40)),
    Column("created_at", String(40), nullable=False),
)

raw_items = Table(
    "raw_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("origin", Text, nullable=False, unique=True),
    Column("source_id", Integer, ForeignKey("sources.id")),
    Column("kind", String(20), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("size", Integer, nullable=False, default=0),
    Column("body", LargeBinary),
    Column("status", String(20), nullable=False),
    Column("item_count", Integer, nullable=False, default=0),
    Column("as_of", String(40)),
    Column("fetched_at", String(40), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("origin", Text, nullable=False),
    Column("raw_item_id", Integer, ForeignKey("raw_items.id")),
    Column("position", Integer, nullable=False, default=0),
    Column("source_id", Integer, ForeignKey("sources.id")),
    Column("source_country", String(8)),
    Column("external_id", Text),
    Column("url", Text),
    Column("author", Text),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("published", String(40)),
    Column("published_precision", String(12), nullable=False, default="unknown"),
    Column("language", String(12)),
    Column("language_confidence", Float),
    Column("title_en", Text),
    Column("text_en", Text),
    Column("content_hash", String(64), nullable=False),
    Column("fetched_at", String(40), nullable=False),
    Column("event_id", String(40)),
    Column("story_id", String(40)),
    Column("duplicate_of", Integer, ForeignKey("articles.id")),
    Column("countries", JSON),
    UniqueConstraint("origin", "content_hash", name="uq_articles_origin_hash"),
    Index("ix_articles_origin", "origin"),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_event", "event_id"),
    Index("ix_articles_story", "story_id"),
    Index("ix_articles_published", "published"),
)

article_stages = Table(
    "article_stages",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("stage", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("done_at", String(40), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("story_id", String(40)),
    Column("title", Text),
    Column("date", String(40)),
    Column("date_precision", String(12)),
    Column("first_seen", String(40)),
    Column("last_seen", String(40)),
    Column("article_count", Integer, nullable=False, default=0),
    Column("independent_source_count", Integer, nullable=False, default=0),
    Column("countries", JSON),
    Column("status", String(20), nullable=False, default="active"),
    Column("merged_into", String(40)),
    Column("updated_at", String(40)),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("title", Text),
    Column("first_date", String(40)),
    Column("last_date", String(40)),
    Column("article_count", Integer, nullable=False, default=0),
    Column("independent_source_count", Integer, nullable=False, default=0),
    Column("countries", JSON),
    Column("outlets", JSON),
    Column("status", String(20), nullable=False, default="active"),
    Column("merged_into", String(40)),
    Column("updated_at", String(40)),
)

statements = Table(
    "statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("speaker", Text),
    Column("speaker_kind", String(20)),
    Column("speaker_country", String(12)),
    Column("verb", String(60)),
    Column("content", Text, nullable=False),
    Column("is_direct", Boolean, nullable=False, default=False),
    Column("date", String(40)),
    Column("start", Integer),
    Column("end", Integer),
    Index("ix_statements_article", "article_id"),
)

pledges = Table(
    "pledges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("story_id", String(40)),
    Column("country", String(12), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("polarity", String(12), nullable=False),
    Column("condition", Text),
    Column("amount", Text),
    Column("date", String(40)),
    Column("beneficiary", String(12), nullable=False, default="UA"),
    Index("ix_pledges_country_kind", "country", "kind"),
)

pledge_evidence = Table(
    "pledge_evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pledge_id", Integer, ForeignKey("pledges.id"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("quote", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Index("ix_pledge_evidence_pledge", "pledge_id"),
)

takes = Table(
    "takes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("story_id", String(40)),
    Column("event_id", String(40)),
    Column("country", String(8)),
    Column("text", Text, nullable=False),
    Column("built_from", JSON),
    Column("created_at", String(40), nullable=False),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id")),
    Column("article_id", Integer, ForeignKey("articles.id")),
    Column("origin", Text, nullable=False),
    Column("line", Integer),
    Column("stage", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("kept", Boolean, nullable=False, default=False),
    Column("created_at", String(40), nullable=False),
    Index("ix_rejections_origin", "origin"),
)

# duplicates, events and stories (dedupe.py, cluster.py): signatures, vectors, index, change log

article_signatures = Table(
    "article_signatures",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("text_minhash", LargeBinary, nullable=False),
    Column("title_minhash", LargeBinary, nullable=False),
    Column("length", Integer, nullable=False, default=0),
)

article_vectors = Table(
    "article_vectors",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("vector", LargeBinary, nullable=False),
    Column("date", String(40)),
    Column("entities", JSON),
)

event_index = Table(
    "event_index",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("event_id", String(40), nullable=False, unique=True),
    Column("vector_sum", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False, default=0),
    Column("terms", JSON),
    Column("entities", JSON),
    Column("first_date", String(40)),
    Column("last_date", String(40)),
    Column("active", Boolean, nullable=False, default=True),
    Index("ix_event_index_last_date", "last_date"),
)

story_index = Table(
    "story_index",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("story_id", String(40), nullable=False, unique=True),
    Column("vector_sum", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False, default=0),
    Column("entities", JSON),
    Column("last_date", String(40)),
    Column("active", Boolean, nullable=False, default=True),
    Index("ix_story_index_last_date", "last_date"),
)

cluster_log = Table(
    "cluster_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(40), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("level", String(10), nullable=False),
    Column("from_id", String(40), nullable=False),
    Column("to_id", String(40)),
    Column("article_ids", JSON),
    Column("detail", Text),
    Index("ix_cluster_log_from", "from_id"),
)

lexicon = Table(
    "lexicon",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("doc_count", Integer, nullable=False, default=0),
    Column("df", LargeBinary, nullable=False),
)

# enrichment (worldtake/enrich/): entity mentions, event dates, translation cache, article columns

ENRICH_ARTICLE_COLUMNS = (
    Column("language_also", JSON),
    Column("published_evidence", Text),
    Column("translator", String(40)),
    Column("translation_note", Text),
)
for _column in ENRICH_ARTICLE_COLUMNS:
    articles.append_column(_column)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("key", String(120), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("role", String(80)),
    Column("field", String(8), nullable=False, default="text"),
    Index("ix_mentions_article", "article_id"),
    Index("ix_mentions_kind_key", "kind", "key"),
)

event_dates = Table(
    "event_dates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("date", String(40), nullable=False),
    Column("precision", String(12), nullable=False),
    Column("phrase", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Index("ix_event_dates_article", "article_id"),
    Index("ix_event_dates_date", "date"),
)

translations = Table(
    "translations",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("source_language", String(12), nullable=False),
    Column("target_language", String(12), nullable=False),
    Column("backend", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)

# claims (worldtake/claims): each article's pledge claims, from which `pledges` is rebuilt

pledge_claims = Table(
    "pledge_claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("country", String(12), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("polarity", String(12), nullable=False),
    Column("condition", Text),
    Column("amount", Text),
    Column("beneficiary", String(12), nullable=False, default="UA"),
    Column("quote", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("field", String(8), nullable=False, default="text"),
    Column("backend", String(20), nullable=False, default="rules"),
    Column("date", String(40)),
    Index("ix_pledge_claims_article", "article_id"),
    Index("ix_pledge_claims_country_kind", "country", "kind"),
)

# claims: stances on the deployment of foreign troops in Ukraine, read from statements

stances = Table(
    "stances",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("country", String(12), nullable=False),
    Column("stance", String(12), nullable=False),
    Column("speaker", Text),
    Column("quote", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("date", String(40)),
    Column("field", String(8), nullable=False, default="text"),
    Index("ix_stances_article", "article_id"),
    Index("ix_stances_country", "country"),
)
