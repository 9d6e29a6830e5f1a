"""Question pages, by who uses them: the asking team (`asking`), both sides on the question
page (`question`), the expert's inbox (`inbox`), the bell (`notifications`)."""
