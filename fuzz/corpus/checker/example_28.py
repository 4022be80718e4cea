import argparse


def main(argv=None):
    parser = argparse.ArgumentParser(description="Greet someone.")
    parser.add_argument("name")
    parser.add_argument("--shout", action="store_true")
    args = parser.parse_args(argv)
    message = f"Hello, {args.name}!"
    if args.shout:
        message = message.upper()
    print(message)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())