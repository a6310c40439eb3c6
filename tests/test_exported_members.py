import types

import mynah


def test_public_api_is_pinned() -> None:
    exported = {
        name
        for name, value in vars(mynah).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert exported == set(mynah.__all__) - {"__version__"}
    assert all(hasattr(mynah, name) for name in mynah.__all__)
