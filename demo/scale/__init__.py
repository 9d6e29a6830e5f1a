"""A deterministic synthetic data set of any size, for measuring (`manage.py
generate_scale_data --questions N`): see demo.scale.generate."""
