// The Topics module; its files are named after what they hold.
