import ScaleFit
print("scalefit-bench: under construction")
