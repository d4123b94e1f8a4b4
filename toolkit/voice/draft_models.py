"""What a draft's front matter says to the linter (pydantic): validated where it is read.

Apart from the voice guide's models (:mod:`toolkit.voice.models`): the week's
drafts validate the ``voice:`` key without defining every rule model, and lint
validates a front matter with them only when its values are not plain
(:func:`toolkit.voice.inputs.read_sources`).
"""

from pydantic import BaseModel, ConfigDict, Field

from toolkit.files.models import LocaleCode, Model, RequiredText


class VoiceSuppression(Model):
    """``voice: {ignore: [rule-id], reason: "..."}`` in a draft's front matter."""

    ignore: list[str] = Field(min_length=1, description="Rule ids not to report in this draft.")
    reason: RequiredText = Field(description="Why: kept for whoever reviews the draft.")


class FrontMatterModel(BaseModel):
    """The keys of a draft's front matter that lint reads; the others are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    platform: str | None = None
    locale: LocaleCode | None = None
    persona: str | None = None
    brand: str | None = None
    sponsored: bool = False
    thread: bool = False
    voice: VoiceSuppression | None = None
