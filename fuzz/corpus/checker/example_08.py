def parse_config(text):
    config = {}
    for raw in text.splitlines():
        line = raw.strip()
        # skip blanks and comments
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        config[key.strip()] = value.strip()
    return config