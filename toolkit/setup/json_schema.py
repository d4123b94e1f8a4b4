"""JSON Schema for the YAML files, so editors can complete and check them."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel

SchemaName = Literal["brief", "brand", "platform", "voice"]


def _model(name: SchemaName) -> type[BaseModel]:
    from toolkit.campaign.brand import Brand
    from toolkit.campaign.brief import Brief
    from toolkit.campaign.platforms import Platform
    from toolkit.voice.models import VoiceFile

    models: dict[str, type[BaseModel]] = {
        "brief": Brief,
        "brand": Brand,
        "platform": Platform,
        "voice": VoiceFile,
    }
    return models[name]


def json_schema(name: SchemaName) -> str:
    schema = _model(name).model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"toolkit {name}"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
