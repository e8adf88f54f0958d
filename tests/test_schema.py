"""schema.py: the record's tables described once, and everything that describes them made from it."""

import json

from force_posture.core import data, schema
from force_posture.publish import api, openapi, package


def test_the_data_check_the_api_the_contract_and_the_data_package_read_one_description():
    for name, table in schema.FILE_TABLES.items():
        assert api.TABLES[name] == table.names
        assert [f["name"] for f in package.schema(name)["fields"]] == list(table.names)
        assert package.schema(name)["primaryKey"] == list(table.key)
        assert list(openapi.row(name)["properties"]) == list(table.names)
    assert data.LEVEL_COLUMNS == schema.LEVELS.names and data.DISAGREEMENT_COLUMNS == schema.DISAGREEMENTS.names
    assert json.loads(json.dumps(api.SCHEMA)) == schema.described()
    basis = next(f for f in package.schema("troop_levels")["fields"] if f["name"] == "basis")
    assert basis["constraints"]["enum"] == list(schema.BASES) == list(data.BASES)


def test_a_column_is_described_with_its_type_unit_vocabulary_meaning_and_whether_it_may_be_empty():
    levels = schema.described()["tables"]["troop_levels"]
    assert levels["troops"] == {
        "type": "integer",
        "unit": "US military personnel",
        "meaning": "the figure as stated",
        "required": True,
    }
    assert levels["date"]["format"] == "YYYY-MM-DD" and "required" not in levels["note"]
    assert levels["basis"]["values"]["authorized"] == "a force management level or cap, not a count"


def test_a_word_off_a_vocabulary_is_refused_in_the_words_the_data_check_uses():
    assert schema.LEVELS.off_vocabulary("basis", "rumoured") == (
        "'rumoured' is not one of acknowledged, disclosed, authorized, reported."
    )
    assert schema.MILESTONES.off_vocabulary("country", "Both") is None
    assert schema.LEVELS.off_vocabulary("country", "Both") == "'Both' is not one of Syria, Iraq."
    assert schema.BY_FILE[data.MILESTONES_FILE] is schema.MILESTONES
