"""Role gates: which roles imply which, and who may use a command where."""

from handlers.registry import Command, expand


def test_admin_may_do_all_a_manager_may() -> None:
    assert expand({"admin"}) == {"admin", "manager", "bd", "ads"}
    assert expand({"manager"}) == {"manager", "bd", "ads"}
    assert expand({"bd"}) == {"bd"}
    assert expand({"leader"}) == {"leader"}
    assert expand(set()) == frozenset()


def _command(roles, where="any") -> Command:
    return Command("x", "d", "/x", frozenset(roles) if roles is not None else None, where)


def test_everyone_may_use_a_public_command_anywhere() -> None:
    public = _command(None)
    assert public.allowed(frozenset(), private=True)
    assert public.allowed(frozenset(), private=False)


def test_roles_are_required() -> None:
    bd_only = _command({"bd"})
    assert not bd_only.allowed(frozenset(), private=False)
    assert not bd_only.allowed(frozenset({"ads"}), private=False)
    assert bd_only.allowed(expand({"manager"}), private=False)
    assert not _command({"leader"}).allowed(expand({"admin"}), private=True)


def test_where_is_respected() -> None:
    assert not _command(None, "private").allowed(frozenset(), private=False)
    assert not _command(None, "group").allowed(frozenset(), private=True)
    assert _command(None, "group").allowed(frozenset(), private=False)
