"""The database schema as SQLAlchemy Core tables: the one definition both dialects share.

Migrations in ``migrations/versions`` build exactly this schema (a test compares them).
Timestamps are stored as timezone-aware UTC.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
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

# Stable constraint names so that migrations work the same on SQLite (batch mode) and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

UTCDateTime = DateTime(timezone=True)

outlets = Table(
    "outlets",
    metadata,
    Column("id", Integer, primary_key=True),
    # Registrable domain (eTLD+1, lower case): the key ratings and articles are matched on.
    Column("domain", String(255), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("homepage", String(2048)),
    Column("country", String(8)),  # ISO 3166-1 alpha-2, lower case
    Column("language", String(16)),  # ISO 639-1
    # One of newsprism.registry.ownership.CATEGORIES, or NULL when no open data says.
    Column("ownership", String(32)),
    Column("owner", String(255)),
    Column("categories", JSON, nullable=False, default=list),
    Column("is_default", Boolean, nullable=False, default=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("origin", String(32), nullable=False, default="registry"),  # registry | user | import
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("outlet_id", Integer, ForeignKey("outlets.id", ondelete="CASCADE"), index=True),
    Column("url", String(2048), nullable=False, unique=True),
    Column("title", String(512)),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("etag", String(512)),
    Column("last_modified", String(128)),
    Column("interval_s", Integer, nullable=False),
    Column("next_poll_at", UTCDateTime, nullable=False, index=True),
    Column("last_polled_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("last_new_item_at", UTCDateTime),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    # ok | not_modified | error | disabled (switched off as gone for good; last_error says why)
    Column("last_status", String(32)),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
)

ratings = Table(
    "ratings",
    metadata,
    Column("id", Integer, primary_key=True),
    # Indexed on its own: profiles look ratings up by outlet (the unique key leads with provider).
    Column(
        "outlet_id",
        Integer,
        ForeignKey("outlets.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "provider", String(32), nullable=False
    ),  # mbfc | allsides | adfontes | wikipedia-rsp | csv
    Column("bias_label", String(64)),  # the rater's own words
    Column("bias_score", Float),  # -3 (Far Left) ... +3 (Far Right)
    Column("factuality_label", String(64)),
    Column("factuality_score", Float),  # 0 (Very Low) ... 5 (Very High)
    Column("url", String(2048)),  # the rater's page for this outlet
    Column("rated_at", String(32)),  # date the rater published, ISO 8601 (day precision)
    Column("imported_at", UTCDateTime, nullable=False),
    Column("extra", JSON, nullable=False, default=dict),
    UniqueConstraint("provider", "outlet_id", name="uq_ratings_provider_outlet"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    # sha1 of the canonical URL: a unique key of fixed size on every dialect.
    Column("url_hash", String(40), nullable=False, unique=True),
    Column("url", String(4096), nullable=False),
    Column("original_url", String(4096)),
    Column("outlet_id", Integer, ForeignKey("outlets.id", ondelete="SET NULL"), index=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="SET NULL")),
    Column("guid", String(2048)),
    Column("source_name", String(255)),
    Column("title", Text, nullable=False),
    Column("summary", Text),  # the feed's own description, sanitized
    Column("text", Text, nullable=False, default=""),
    Column("author", String(512)),
    Column("image_url", String(4096)),
    Column("language", String(16)),
    Column("published_at", UTCDateTime, index=True),
    # When the original date was missing or absurd, published_at is our best guess and says so.
    Column("date_note", String(255)),
    Column("ingested_at", UTCDateTime, nullable=False),
    Column("word_count", Integer, nullable=False, default=0),
    # extracted | feed_only | imported | failed
    Column("extraction_status", String(16), nullable=False),
    Column("extraction_note", Text),
    Column("content_hash", String(40), index=True),  # exact duplicates of the text
    Column("simhash", BigInteger),  # unused: near duplicates are found through article_bands
    Column("repost_of", Integer, ForeignKey("articles.id", ondelete="SET NULL"), index=True),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="SET NULL"), index=True),
    Column("cluster_score", Float),
    Column("cluster_explanation", JSON),  # top features of the assignment
    Column("clustered_at", UTCDateTime),
    Column("extra", JSON, nullable=False, default=dict),
)
Index("ix_articles_unclustered", articles.c.clustered_at, articles.c.id)

# Near-duplicate lookup: one row per MinHash LSH band of each article (newsprism.ingest.dedup), so
# candidates are found through an index instead of scanning every fingerprint.
article_bands = Table(
    "article_bands",
    metadata,
    Column("band_key", BigInteger, primary_key=True),
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

# Dense sentence vectors of articles (optional clustering feature, setting cluster_embeddings):
# encoding costs ~50 ms of CPU per article, so a restart reads them back instead. ``model``
# names the encoder that made the vector; vectors of another model are encoded again.
article_embeddings = Table(
    "article_embeddings",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("model", String(64), nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float16, L2-normalized
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("language", String(16)),
    Column("headline", Text),
    Column("headline_article_id", Integer),
    Column("article_count", Integer, nullable=False, default=0),
    Column("outlet_count", Integer, nullable=False, default=0),
    Column("first_published", UTCDateTime),
    Column("last_updated", UTCDateTime, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # A merged story points at its survivor; its URL keeps working as a redirect.
    Column("merged_into", Integer, ForeignKey("stories.id", ondelete="SET NULL"), index=True),
    # Set when articles join or leave; the analysis step clears it.
    Column("dirty", Boolean, nullable=False, default=True, index=True),
    Column("analysis", JSON),  # coverage, blindspot, framing, tags: see newsprism.analyze
    Column("analyzed_at", UTCDateTime),
    Column("analysis_key", String(64)),  # fingerprint of the article set last analysed
    Column("blindspot_side", String(8), index=True),  # left | right | NULL
    Column("rank_score", Float, index=True),
)

story_summaries = Table(
    "story_summaries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "story_id",
        Integer,
        ForeignKey("stories.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", UTCDateTime, nullable=False),
    Column("article_count", Integer, nullable=False),
    Column("method", String(32), nullable=False),  # extractive | llm
    Column("bullets", JSON, nullable=False),  # [{"text", "article_ids"}]
)

fetch_log = Table(
    "fetch_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), index=True),
    Column("outlet_id", Integer, ForeignKey("outlets.id", ondelete="CASCADE")),
    Column("kind", String(16), nullable=False),  # feed | page | robots | import | entry
    Column("url", String(4096), nullable=False),
    Column("started_at", UTCDateTime, nullable=False, index=True),
    Column("duration_ms", Integer),
    Column("status_code", Integer),
    Column("outcome", String(16), nullable=False),  # ok | not_modified | error | skipped
    Column("error", Text),
    Column("bytes", Integer),
    Column("new_items", Integer),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Part of every session cookie's fingerprint: raised on sign-out, it ends them all.
    Column("session_generation", Integer, nullable=False, default=0, server_default="0"),
)

reading_history = Table(
    "reading_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("opened_at", UTCDateTime, nullable=False),
    # The story's lean and factuality when it was read, so history does not shift later.
    Column("snapshot", JSON, nullable=False),
)

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(4096), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("lines_read", Integer, nullable=False, default=0),
    Column("added", Integer, nullable=False, default=0),
    Column("skipped", Integer, nullable=False, default=0),
    Column("notes", JSON, nullable=False, default=dict),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON),
)
