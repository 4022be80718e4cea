# TODO: implement this later
# (nothing here yet)