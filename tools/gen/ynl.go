package main

func runYNL(args []string) error { return nil }
