"""Feed hosts that are not outlets: shared platforms, feed proxies, podcast and video hosts.

A feed on one of these hosts says nothing about which outlet wrote it (Google News mixes every
outlet; a Feedburner URL hides its publisher), so the registry and OPML import either map such a
feed to its real outlet (from the OPML ``htmlUrl``) or leave it out.
"""

from __future__ import annotations

from newsprism.domains import hostname, registrable_domain

# Registrable domains whose feeds aggregate or proxy other publishers.
SHARED_PLATFORMS = frozenset(
    {
        "google.com",
        "googleusercontent.com",
        "reddit.com",
        "feedburner.com",
        "feedblitz.com",
        "feedproxy.com",
        "feedly.com",
        "inoreader.com",
        "newsblur.com",
        "rss.app",
        "rsshub.app",
        "fetchrss.com",
        "politepol.com",
        "feed43.com",
        "morss.it",
        "rssing.com",
        "hnrss.org",
        "nitter.net",
        "twitter.com",
        "x.com",
        "facebook.com",
        "instagram.com",
        "t.me",
        "telegram.org",
        "bsky.app",
        "mastodon.social",
        "yahoo.co.jp",
        "baidu.com",
        "steamcommunity.com",
        "github.com",
        "gitlab.com",
        "purplemanager.com",
        "dowjones.io",
        "skmediatool.com",
    }
)

# Hosting for personal blogs and newsletters: each subdomain is a different author, and their
# registrable domain is the platform's, so none of them is an outlet in the registry's sense.
BLOG_PLATFORMS = frozenset(
    {
        "blogspot.com",
        "blogger.com",
        "wordpress.com",
        "substack.com",
        "medium.com",
        "tumblr.com",
        "github.io",
        "gitlab.io",
        "ghost.io",
        "beehiiv.com",
        "buttondown.email",
        "buttondown.com",
        "livejournal.com",
        "typepad.com",
        "wixsite.com",
        "weebly.com",
        "squarespace.com",
        "hashnode.dev",
        "dev.to",
        "micro.blog",
        "mataroa.blog",
        "bearblog.dev",
        "write.as",
        "netlify.app",
        "vercel.app",
        "pages.dev",
        "neocities.org",
    }
)

# Podcast and video hosts: audio/video feeds, not articles.
MEDIA_PLATFORMS = frozenset(
    {
        "youtube.com",
        "vimeo.com",
        "dailymotion.com",
        "twitch.tv",
        "libsyn.com",
        "megaphone.fm",
        "simplecast.com",
        "anchor.fm",
        "podbean.com",
        "soundcloud.com",
        "spotify.com",
        "buzzsprout.com",
        "transistor.fm",
        "omny.fm",
        "acast.com",
        "art19.com",
        "podtrac.com",
        "blubrry.com",
        "spreaker.com",
        "audioboom.com",
        "captivate.fm",
        "redcircle.com",
        "podcastics.com",
        "pinecast.com",
        "fireside.fm",
    }
)

# Feed hosts that belong to an outlet whose articles live on another registrable domain.
FEED_HOST_ALIASES = {
    "bbci.co.uk": "bbc.co.uk",
}


def is_platform_domain(domain: str) -> bool:
    return domain in SHARED_PLATFORMS or domain in BLOG_PLATFORMS or domain in MEDIA_PLATFORMS


def outlet_domain_for_url(url: str) -> str:
    """The outlet a URL belongs to ('' when the URL is on a shared platform or has no host)."""
    domain = registrable_domain(url)
    domain = FEED_HOST_ALIASES.get(domain, domain)
    if not domain or is_platform_domain(domain):
        return ""
    return domain


def looks_like_podcast_or_video(url: str) -> bool:
    lowered = url.lower()
    return any(marker in lowered for marker in ("podcast", "/episodes", "/videos/rss"))


def looks_like_blog(url: str) -> bool:
    host = hostname(url)
    path = url.lower().split(host, 1)[-1] if host else url.lower()
    return host.startswith(("blog.", "blogs.")) or "/blog" in path
