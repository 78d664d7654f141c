import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.creators import Platform
from bot.domain.videos import VideoUrlError, canonical, parse_video_url, platform_of_host


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://www.tiktok.com/@lily/video/7301234567890", Platform.TIKTOK),
        ("https://vm.tiktok.com/ZMabc123/", Platform.TIKTOK),
        ("https://tiktok.com/@lily", Platform.TIKTOK),
        ("https://www.douyin.com/video/7301234567890", Platform.DOUYIN),
        ("https://v.douyin.com/iRNBho6/", Platform.DOUYIN),
        ("https://www.iesdouyin.com/share/video/1/", Platform.DOUYIN),
        ("https://channels.weixin.qq.com/web/pages/feed?eid=abc", Platform.CHANNELS),
        ("https://www.xiaohongshu.com/explore/64f0c1", Platform.XIAOHONGSHU),
        ("http://xhslink.com/a/Bc12", Platform.XIAOHONGSHU),
        ("https://www.youtube.com/watch?v=x", Platform.OTHER),
        ("https://weixin.qq.com/sph/abc", Platform.OTHER),
        ("https://evil-tiktok.com/x", Platform.OTHER),
        ("https://tiktok.com.evil.net/x", Platform.OTHER),
        ("https://tiktok.com@evil.net/x", Platform.OTHER),
        ("HTTPS://WWW.TIKTOK.COM/@Lily", Platform.TIKTOK),
        ("https://例子.中国/视频", Platform.OTHER),
    ],
)
def test_platform_recognised(url: str, platform: Platform) -> None:
    link = parse_video_url(url)
    assert link.platform is platform
    assert link.url == url


def test_url_is_trimmed_and_unwrapped() -> None:
    assert parse_video_url("  <https://v.douyin.com/abc/>  ").url == "https://v.douyin.com/abc/"


def test_share_text_yields_its_link() -> None:
    text = (
        "7.97 复制打开抖音，看看【小美🌸的作品】超好用！ https://v.douyin.com/iRNBho6/ 复制此链接"
    )
    link = parse_video_url(text)
    assert link.url == "https://v.douyin.com/iRNBho6/"
    assert link.platform is Platform.DOUYIN


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ftp://tiktok.com/x", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("tiktok.com/@lily", "scheme"),
        ("www.douyin.com/video/1", "scheme"),
        ("https://", "host"),
        ("https:///path", "host"),
        ("https://localhost/x", "host"),
        ("https://a..com/x", "host"),
        ("https://-bad.com/", "host"),
        ("https://bad_host.com/", "host"),
        ("http://a.com:99999/", "malformed"),
        ("http://a.com:port/", "malformed"),
        ("http://[::1/", "malformed"),
        ("see my video", "malformed"),
    ],
)
def test_bad_url(text: str, reason: str) -> None:
    with pytest.raises(VideoUrlError) as exc:
        parse_video_url(text)
    assert exc.value.code == "bad_url"
    assert exc.value.params == {"value": text, "reason": reason}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://v.douyin.com/iRNBho6/", "https://v.douyin.com/iRNBho6"),
        ("HTTPS://V.DOUYIN.COM/iRNBho6", "https://v.douyin.com/iRNBho6#t=3"),
        ("https://www.tiktok.com:443/@a/video/1", "https://www.tiktok.com/@a/video/1/"),
        ("http://xhslink.com:80/a", "http://xhslink.com/a"),
        ("https://tiktok.com.", "https://tiktok.com/"),
    ],
)
def test_canonical_equal(a: str, b: str) -> None:
    assert canonical(a) == canonical(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://v.douyin.com/iRNBho6", "https://v.douyin.com/irnbho6"),  # short codes
        ("https://a.com/v?id=1", "https://a.com/v?id=2"),
        ("https://a.com/v", "https://a.com/w"),
        ("https://a.com:8443/v", "https://a.com/v"),
        ("http://a.com/v", "https://a.com/v"),
    ],
)
def test_canonical_different(a: str, b: str) -> None:
    assert canonical(a) != canonical(b)


def test_canonical_form() -> None:
    assert canonical("HTTPS://WWW.TikTok.com/@Lily/Video/1/?x=1#frag") == (
        "https://www.tiktok.com/@Lily/Video/1?x=1"
    )
    assert parse_video_url("https://a.com/x/").canonical == "https://a.com/x"


def test_platform_of_host() -> None:
    assert platform_of_host("WWW.TIKTOK.COM.") is Platform.TIKTOK
    assert platform_of_host("qq.com") is Platform.OTHER


@given(
    st.sampled_from(["http", "https", "HTTPS"]),
    st.from_regex(r"[a-z][a-z0-9]{0,10}(\.[a-z]{2,5}){1,2}", fullmatch=True),
    st.from_regex(r"(/[A-Za-z0-9_@-]{1,8}){0,3}/?", fullmatch=True),
)
def test_canonical_is_idempotent(scheme: str, host: str, path: str) -> None:
    once = canonical(f"{scheme}://{host}{path}")
    assert canonical(once) == once
