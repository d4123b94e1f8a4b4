"""Names vulture cannot see being used (tests/test_quality.py runs it over toolkit/).

Each is used by a framework, not by a call in our code: pydantic fields and
validators, Jinja's sandbox hooks and layout templates reading context fields,
Click's help formatter, enum members chosen on the command line, PyAV's decoder
settings, and the twitter-text config reader the conformance tests use. A name
that is really dead is deleted, never added here.
"""

# ruff: noqa
__getattr__  # toolkit/__init__.py
__getattr__  # toolkit/api.py
heading  # toolkit/campaign/brand.py
_._ends_after_start  # toolkit/campaign/brief.py
_._shorthand  # toolkit/campaign/brief.py
medium  # toolkit/campaign/brief.py
use  # toolkit/campaign/platforms.py
_._ordered  # toolkit/campaign/platforms.py
document_data  # toolkit/cards/carousel.py
has_logo  # toolkit/cards/context.py
use  # toolkit/cards/formats.py
_._inside  # toolkit/cards/formats.py
_._sizes  # toolkit/cards/layout.py
_._some  # toolkit/cards/layout.py
_.skip_frame  # toolkit/cards/video.py
_.skip_frame  # toolkit/cards/video.py
_options  # toolkit/cli.py
jpeg  # toolkit/commands/cards.py
webp  # toolkit/commands/cards.py
instagram  # toolkit/commands/cards.py
linkedin  # toolkit/commands/cards.py
_.collect_usage_pieces  # toolkit/commands/help.py
_.format_options  # toolkit/commands/help.py
github  # toolkit/commands/lint.py
rdjson  # toolkit/commands/lint.py
codepoint  # toolkit/commands/lint.py
utf16  # toolkit/commands/lint.py
hashtag_max  # toolkit/copy/context.py
model_config  # toolkit/files/models.py
_.visit_Concat  # toolkit/sandbox/compiler.py
_._optional  # toolkit/sandbox/environment.py
_._shorten  # toolkit/sandbox/environment.py
intercepted_binops  # toolkit/sandbox/environment.py
code_generator_class  # toolkit/sandbox/environment.py
template_class  # toolkit/sandbox/environment.py
concat  # toolkit/sandbox/environment.py
_.is_safe_attribute  # toolkit/sandbox/environment.py
_.wrap_str_format  # toolkit/sandbox/environment.py
_.call_binop  # toolkit/sandbox/environment.py
_.newstyle_gettext  # toolkit/sandbox/environment.py
_.get_source  # toolkit/sandbox/loader.py
_.from_twitter_json  # toolkit/text/counting.py
valid  # toolkit/text/counting.py
permillage  # toolkit/text/counting.py
display_range_start  # toolkit/text/counting.py
display_range_end  # toolkit/text/counting.py
valid_range_start  # toolkit/text/counting.py
_.__path__  # toolkit/text/spans.py
model_config  # toolkit/voice/draft_models.py
_._something  # toolkit/voice/models.py
_._bounded  # toolkit/voice/models.py
_._something  # toolkit/voice/models.py
_._bounded  # toolkit/voice/models.py
traits  # toolkit/voice/models.py
do  # toolkit/voice/models.py
dont  # toolkit/voice/models.py
reason  # toolkit/voice/draft_models.py
