import types

import mynah.models


def test_public_api_is_pinned() -> None:
    exported = {
        name
        for name, value in vars(mynah.models).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert exported - {"TYPE_CHECKING"} == set(mynah.models.__all__)
    assert all(hasattr(mynah.models, name) for name in mynah.models.__all__)
