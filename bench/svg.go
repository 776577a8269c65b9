package main

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strings"
)

// chartColors gives each engine a fixed colour.
var chartColors = map[string]string{
	"warden":        "#1f77b4",
	"floor":         "#7f7f7f",
	"naive":         "#2ca02c",
	"casbin":        "#d62728",
	"casbin-cached": "#ff7f0e",
}

// chart draws ns per check against rules per check, both on log scales, one line per engine,
// as a self-contained SVG document.
func (r *report) chart() string {
	const (
		width, height = 760, 480
		left, right   = 80, 170
		top, bottom   = 40, 60
	)
	pw, ph := float64(width-left-right), float64(height-top-bottom)

	xmin, xmax, ymin, ymax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, x := range r.Results {
		if x.Rules <= 0 || x.NsPerCheck <= 0 {
			continue
		}
		xmin, xmax = math.Min(xmin, float64(x.Rules)), math.Max(xmax, float64(x.Rules))
		ymin, ymax = math.Min(ymin, x.NsPerCheck), math.Max(ymax, x.NsPerCheck)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="15">ns per check against rules per check (log–log)</text>`+"\n", left)
	if math.IsInf(xmin, 1) {
		b.WriteString("</svg>\n")
		return b.String()
	}
	// Whole decades around the data.
	x0, x1 := math.Floor(math.Log10(xmin)), math.Ceil(math.Log10(xmax))
	y0, y1 := math.Floor(math.Log10(ymin)), math.Ceil(math.Log10(ymax))
	if x1 == x0 {
		x1++
	}
	if y1 == y0 {
		y1++
	}
	px := func(v float64) float64 { return float64(left) + (math.Log10(v)-x0)/(x1-x0)*pw }
	py := func(v float64) float64 { return float64(top) + ph - (math.Log10(v)-y0)/(y1-y0)*ph }

	// Grid and axes.
	for d := x0; d <= x1; d++ {
		x := px(math.Pow(10, d))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", x, top, x, height-bottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x, height-bottom+18, decade(d))
	}
	for d := y0; d <= y1; d++ {
		y := py(math.Pow(10, d))
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", left, y, width-right, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`+"\n", left-8, y, fmtNs(math.Pow(10, d)))
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.0f" height="%.0f" fill="none" stroke="#333"/>`+"\n", left, top, pw, ph)
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">rules sharing the checked subject and action</text>`+"\n", float64(left)+pw/2, height-18)
	fmt.Fprintf(&b, `<text x="18" y="%.1f" text-anchor="middle" transform="rotate(-90 18 %.1f)">ns per check (median)</text>`+"\n", float64(top)+ph/2, float64(top)+ph/2)

	// One line per engine, with a marker per workload and the spread as a vertical bar.
	for k, eng := range r.Engines {
		var pts []Result
		for _, x := range r.Results {
			if x.Engine == eng && x.Rules > 0 && x.NsPerCheck > 0 {
				pts = append(pts, x)
			}
		}
		if len(pts) == 0 {
			continue
		}
		slices.SortFunc(pts, func(a, b Result) int { return a.Rules - b.Rules })
		color := chartColors[eng]
		if color == "" {
			color = "#000"
		}
		var path []string
		for _, p := range pts {
			path = append(path, fmt.Sprintf("%.1f,%.1f", px(float64(p.Rules)), py(p.NsPerCheck)))
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(path, " "), color)
		for _, p := range pts {
			x := px(float64(p.Rules))
			if p.NsMin > 0 && p.NsMax > 0 {
				fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`+"\n", x, py(p.NsMin), x, py(p.NsMax), color)
			}
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s</title></circle>`+"\n", x, py(p.NsPerCheck), color,
				html.EscapeString(fmt.Sprintf("%s, %s: %d rules, %s", p.Engine, p.Workload, p.Rules, fmtNs(p.NsPerCheck))))
		}
		ly := top + 10 + 22*k
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>`+"\n", width-right+16, ly, width-right+40, ly, color)
		fmt.Fprintf(&b, `<text x="%d" y="%d" dominant-baseline="middle">%s</text>`+"\n", width-right+46, ly, html.EscapeString(eng))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// decade labels 10^d.
func decade(d float64) string { return fmt.Sprintf("%.0f", math.Pow(10, d)) }
