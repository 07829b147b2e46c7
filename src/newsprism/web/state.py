"""What every request handler reaches through ``request.app.state``: settings, store, signer."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.templating import Jinja2Templates

from newsprism.config import Settings
from newsprism.store.database import Database
from newsprism.web.page_cache import Memo, PageCache
from newsprism.web.security import LoginLimiter, SessionSigner
from newsprism.web.story_versions import StoryVersions


@dataclass
class WebState:
    settings: Settings
    db: Database
    templates: Jinja2Templates
    signer: SessionSigner
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    page_cache: PageCache = field(default_factory=PageCache)
    memo: Memo = field(default_factory=Memo)
    story_versions: StoryVersions = field(init=False)

    def __post_init__(self) -> None:
        self.story_versions = StoryVersions(self.db)
