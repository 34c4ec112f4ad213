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
