import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TrpcQueryProvider } from "@/trpc/client";
import { TopBar } from "@/components/top-bar";
import "uplot/dist/uPlot.min.css";
import "./globals.css";

export const metadata: Metadata = {
  title: "finetrack",
  description: "Compare fine-tuning runs, diagnose overfitting, see which factor drives the result.",
};

// Static, author-written script (no user text): applies the saved or system theme before paint.
const THEME_BOOT = `try{var t=localStorage.getItem("finetrack-theme");if(t!=="light"&&t!=="dark"){t=matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light"}document.documentElement.dataset.theme=t}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT }} />
      </head>
      <body>
        <TrpcQueryProvider>
          <TopBar />
          <main className="main" id="main">
            {children}
          </main>
        </TrpcQueryProvider>
      </body>
    </html>
  );
}
